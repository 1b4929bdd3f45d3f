"""`connect-gate explain [CHECK]`: every check's documentation, ours and Heroku's.

Our checks are documented by their module docstrings; Heroku's by the catalogue in
checks/diagnostics.py (what each checks, why it matters, how to fix it, with the Heroku pages each
statement comes from). The same text is written to docs/checks.md (`make docs`), so the docs
cannot drift from the code.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Sequence

from connect_gate.check import CheckInfo
from connect_gate.checks import own_checks
from connect_gate.checks.diagnostics import KNOWN_CHECKS, KnownCheck, Said, find_known
from connect_gate.exit_status import ExitStatus
from connect_gate.findings import Source
from connect_gate.suggest import did_you_mean

SECTIONS = (
    (Source.LIVE, "Live checks", "The live connection's state and write errors, and the review app."),
    (Source.MIGRATIONS, "Migration rules", "What the pull request's SQL migrations do to synced tables."),
    (Source.DATABASE, "Database checks", "What is in the review app's database, read from the catalogs."),
    (Source.GATE, "Policy checks", "The gate's checks on its own policy file."),
)
WAIVER_DAYS = 30  # the expiry `explain` proposes: a waiver is a loan, not a gift
DOCS_EXPIRY = "YYYY-MM-DD"  # docs/checks.md cannot know the day it is read


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


def heroku_doc(known: KnownCheck, expires: str) -> str:
    """One Heroku check's section: what it checks, why, how to fix and waive it, with sources."""
    title = f"`{known.rule_id}`: {known.display_name}" if known.rule_id else known.display_name
    parts = [
        f"### {title}\n\n"
        f"Heroku Connect's check ({known.level} level); the server decides its colour. "
        f"Heroku's article: {known.doc_url}\n"
    ]
    for heading, said in (
        ("What it checks", known.checks),
        ("Why it matters for the sync", known.why),
        ("How to fix it", known.fix),
    ):
        if said is not None:
            parts.append(f"\n**{heading}.** {_sourced(said)}\n")
    if known.fix is None:
        parts.append(
            "\n**How to fix it.** connect-gate has no Heroku text on fixing this check: follow the "
            "result's message and Heroku's article.\n"
        )
    if known.related:
        ours = ", ".join(f"`{check_id}`" for check_id in known.related)
        parts.append(
            f"\n**What drifted.** With `database-url` or `migrations` (and `mapping-config`), the gate "
            f"adds to this finding what its own checks found on the same table: {ours}.\n"
        )
    parts.append(
        "\n**Waiving it.** If the risk is accepted for a while, add this to the policy's "
        "`waivers` (the reason and the expiry are shown in every report):\n\n"
        f"{waiver_entry(known, expires)}"
    )
    return "".join(parts)


def _sourced(said: Said) -> str:
    return f"{said.text}\nSource: {', '.join(said.sources)}"


def waiver_entry(known: KnownCheck, expires: str) -> str:
    """A ready-to-paste `waivers` entry (keys as policy/schema.py declares them), indented as code."""
    lines = ["waivers:", f"  - check: {known.id}"]
    if known.level == "mapping":
        lines.append("    mapping: Account  # the mapping it is about; leave it out to waive every mapping")
    lines += [
        '    reason: "Why the risk is accepted, and the ticket that removes it"',
        '    by: "@who-accepted-it"',
        f"    expires: {expires}  # the last day it waives",
    ]
    return "".join(f"    {line}\n" for line in lines)


def reference() -> str:
    """docs/checks.md: every check connect-gate knows."""
    checks = own_checks()
    parts = [
        "# Checks\n\n",
        "Generated from the check modules' docstrings and Heroku's check catalogue by `make docs`; "
        "`connect-gate explain ID` prints one.\n",
        "A policy names any of them by id or title (see the README).\n\n",
        "## Heroku Connect diagnostics\n\n",
        "Run by Heroku; their colour is the server's. Known names (the server may add more):\n\n",
        "| rule_id | display name | level |\n|---|---|---|\n",
        *(f"| {k.rule_id or '—'} | {k.display_name} | {k.level} |\n" for k in KNOWN_CHECKS),
        "\nEach one below says what it checks, why it matters and how to fix it, from Heroku's "
        "documentation (the pages are named under each statement).\n\n",
        "\n".join(heroku_doc(known, DOCS_EXPIRY) for known in KNOWN_CHECKS),
    ]
    for source, title, intro in SECTIONS:
        chosen = sorted((c for c in checks.values() if c.source is source), key=lambda c: c.id)
        if chosen:
            parts.append(f"\n## {title}\n\n{intro}\n\n")
            # The anchor is each check's default doc URL (CheckInfo.url): docs/checks.md#<id>.
            parts.append("\n".join(f'<a id="{c.id}"></a>\n\n{check_doc(c)}' for c in chosen))
    return "".join(parts)


def explain_main(argv: Sequence[str], today: datetime.date | None = None) -> int:
    checks = own_checks()
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: connect-gate explain CHECK\n\nHeroku Connect's checks (display name or rule_id):")
        for known in KNOWN_CHECKS:
            print(f"  {known.display_name:<50} {known.rule_id or '—':<34} {known.level}")
        print("\nconnect-gate's own checks:")
        for check in sorted(checks.values(), key=lambda c: (c.source.value, c.id)):
            print(f"  {check.id:<36} {check.status.value:<10} {check.title}")
        return ExitStatus.PASSED
    wanted = argv[0].casefold()
    for check in checks.values():
        if wanted in (check.id.casefold(), check.title.casefold()):
            print(check_doc(check), end="")
            return ExitStatus.PASSED
    heroku = find_known(argv[0])
    if heroku is not None:
        expires = (today or datetime.date.today()) + datetime.timedelta(days=WAIVER_DAYS)
        print(heroku_doc(heroku, expires.isoformat()), end="")
        return ExitStatus.PASSED
    names = [c.id for c in checks.values()] + [c.title for c in checks.values()]
    names += [k.display_name for k in KNOWN_CHECKS] + [k.rule_id for k in KNOWN_CHECKS if k.rule_id]
    hint = did_you_mean(argv[0], names) or "`connect-gate explain` lists them"
    print(f"connect-gate explain: unknown check {argv[0]!r}; {hint}", file=sys.stderr)
    return ExitStatus.INPUT_ERROR
