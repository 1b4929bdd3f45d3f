"""`connect-gate explain [CHECK]`: every check's documentation, from its module docstring.

The same text is written to docs/checks.md (`make docs`), so the docs cannot drift from the code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from checks import own_checks
from checks.diagnostics import KNOWN_CHECKS
from connect_gate.check import CheckInfo
from connect_gate.exit_status import ExitStatus
from connect_gate.findings import Source
from connect_gate.suggest import did_you_mean

SECTIONS = (
    (Source.LIVE, "Live checks", "The live connection's state and write errors, and the review app."),
    (Source.MIGRATIONS, "Migration rules", "What the pull request's SQL migrations do to synced tables."),
    (Source.DATABASE, "Database checks", "What is in the review app's database, read from the catalogs."),
    (Source.GATE, "Policy checks", "The gate's checks on its own policy file."),
)


def check_doc(check: CheckInfo) -> str:
    """One check's section: id, title, default status, what it reads, and its docstring."""
    more = f"\nMore: {check.doc_url}\n" if check.doc_url else ""
    return (
        f"### `{check.id}`: {check.title}\n\n"
        f"Default status: **{check.status.value}** "
        f"(source: {check.source.value}; reads {check.reads.value})\n\n"
        f"{_markdown(check.doc)}\n{more}"
    )


def _markdown(doc: str) -> str:
    """Docstrings indent examples by four spaces: Markdown reads that as code already."""
    return doc.strip()


def reference() -> str:
    """docs/checks.md: every check connect-gate knows."""
    checks = own_checks()
    parts = [
        "# Checks\n\n",
        "Generated from the check modules' docstrings by `make docs`; "
        "`connect-gate explain ID` prints one.\n",
        "A policy names any of them by id or title (see the README).\n\n",
        "## Heroku Connect diagnostics\n\n",
        "Run by Heroku; their colour is the server's. Known names (the server may add more):\n\n",
        "| rule_id | display name | level |\n|---|---|---|\n",
        *(f"| {k.rule_id or '—'} | {k.display_name} | {k.level} |\n" for k in KNOWN_CHECKS),
    ]
    for source, title, intro in SECTIONS:
        chosen = sorted((c for c in checks.values() if c.source is source), key=lambda c: c.id)
        if chosen:
            parts.append(f"\n## {title}\n\n{intro}\n\n")
            # The anchor is each check's default doc URL (CheckInfo.url): docs/checks.md#<id>.
            parts.append("\n".join(f'<a id="{c.id}"></a>\n\n{check_doc(c)}' for c in chosen))
    return "".join(parts)


def explain_main(argv: Sequence[str]) -> int:
    checks = own_checks()
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: connect-gate explain CHECK_ID\n\nconnect-gate's own checks:")
        for check in sorted(checks.values(), key=lambda c: (c.source.value, c.id)):
            print(f"  {check.id:<36} {check.status.value:<7} {check.title}")
        return ExitStatus.PASSED
    wanted = argv[0].casefold()
    for check in checks.values():
        if wanted in (check.id.casefold(), check.title.casefold()):
            print(check_doc(check), end="")
            return ExitStatus.PASSED
    names = [c.id for c in checks.values()] + [c.title for c in checks.values()]
    hint = did_you_mean(argv[0], names) or "`connect-gate explain` lists them"
    print(f"connect-gate explain: unknown check {argv[0]!r}; {hint}", file=sys.stderr)
    return ExitStatus.INPUT_ERROR
