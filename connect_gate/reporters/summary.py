"""The Markdown job summary: verdict, counts, everything that is not GREEN, and the waivers.

GitHub keeps at most 1 MiB of summary per step: rows past the budget are left out and the
summary says how many and where they are.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Sequence
from urllib.parse import quote

from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Status
from connect_gate.guard import clean
from connect_gate.policy.model import Policy
from connect_gate.reporters.console import format_location
from connect_gate.reporters.fix import fix_line
from connect_gate.verdict import most_severe_first, verdict_line, verdict_of

# where Heroku's results and our checks point; any other URL from outside is not linked
LINKED_DOCS = ("https://devcenter.heroku.com/", "https://github.com/connect-gate/connect-gate/")
URL_SAFE = ":/?#&=%@+,;~-._*$'"  # kept as is in a link's URL; brackets, parentheses, `!`, spaces... escaped
SIZE_BUDGET = 1_000_000  # bytes; the runner's limit is 1 MiB (1,048,576) per step
OUTCOME_ORDER = (Outcome.BLOCK, Outcome.WARN, Outcome.WAIVED, Outcome.PASS, Outcome.SKIPPED)
STATUS_ORDER = (Status.RED, Status.YELLOW, Status.GREEN, Status.SKIPPED, Status.ERROR)
_ICONS = {
    Outcome.BLOCK: "🛑 block",
    Outcome.WARN: "⚠️ warn",
    Outcome.WAIVED: "💤 waived",
    Outcome.PASS: "✅ pass",
    Outcome.SKIPPED: "⏭️ skipped",
}


def cell(text: str) -> str:
    """Untrusted text made safe for one Markdown table cell: no HTML, no pipes, no line breaks, no
    links or images (`[`, `]` escaped), no ANSI escapes or control characters."""
    escaped = html.escape(clean(text), quote=False)
    for char in "\\|[]":
        escaped = escaped.replace(char, "\\" + char)
    return "<br>".join(escaped.splitlines()) or " "


def render_summary(
    decisions: Sequence[Decision], policy: Policy, today: datetime.date, full_report: str
) -> str:
    verdict = verdict_of(decisions)
    head = "❌ connect-gate: blocked" if verdict.blocked else "✅ connect-gate: passed"
    lines = [
        f"## {head}",
        "",
        cell(verdict_line(verdict)),
        "",
        f"Policy: {cell(policy.origin)}",
        "",
        "| "
        + " | ".join(o.value for o in OUTCOME_ORDER)
        + " | "
        + " | ".join(s.value for s in STATUS_ORDER)
        + " |",
        "|" + "---|" * (len(OUTCOME_ORDER) + len(STATUS_ORDER)),
        "| "
        + " | ".join(str(verdict.outcomes[o]) for o in OUTCOME_ORDER)
        + " | "
        + " | ".join(str(verdict.statuses[s]) for s in STATUS_ORDER)
        + " |",
        "",
    ]
    notable = [d for d in most_severe_first(decisions) if d.finding.status is not Status.GREEN]
    if notable:
        lines += [
            "### Findings that are not GREEN",
            "",
            "| Decision | Status | Check | Scope | Message | Why |",
            "|---|---|---|---|---|---|",
        ]
        rows = [_row(d) for d in notable]
        lines += _within_budget(rows, sum(len(line) + 1 for line in lines), full_report)
        lines += [
            "",
            "Under each check, its id: `connect-gate explain ID` says what it looks for and how to fix it.",
            "",
        ]
    if policy.waivers:
        lines += [
            "### Waivers",
            "",
            "| Check | Scope | By | Expires | Reason | Where |",
            "|---|---|---|---|---|---|",
        ]
        for waiver in policy.waivers:
            scope = ", ".join(x for x in (waiver.selector.mapping, waiver.selector.connection) if x) or "all"
            expires = waiver.expires.isoformat() if waiver.expires else "never"
            if waiver.expired(today):
                expires += " (**expired**)"
            lines.append(
                f"| {cell(waiver.selector.check)} | {cell(scope)} | {cell(waiver.by or '—')} | {expires} "
                f"| {cell(waiver.reason)} | {cell(waiver.origin)} |"
            )
        lines.append("")
    return "\n".join(lines)


def _row(decision: Decision) -> str:
    finding = decision.finding
    name = cell(finding.name)
    if finding.doc_url.startswith(LINKED_DOCS):  # the URL comes from outside: only Heroku's articles link
        name = f"[{name}]({quote(finding.doc_url, safe=URL_SAFE)})"
    check_id = clean(finding.check_id).replace("`", "").replace("|", "\\|").replace("\n", " ")
    name += f"<br>`{check_id}`"
    scope = cell(finding.scope.name)
    if finding.location is not None:
        scope = f"`{format_location(finding.location).replace('`', '')}`"
    return (
        f"| {_ICONS[decision.outcome]} | {finding.status.value} | {name} | {scope} "
        f"| {cell(_message(decision))} | {cell(decision.reason)} |"
    )


def _message(decision: Decision) -> str:
    """The finding's message, and under it the "How to fix" line of a Heroku check."""
    fix = fix_line(decision)
    return f"{decision.finding.message}\n{fix}" if fix else decision.finding.message


def _within_budget(rows: list[str], used: int, full_report: str) -> list[str]:
    kept: list[str] = []
    size = used
    for index, row in enumerate(rows):
        size += len(row.encode()) + 1
        if size > SIZE_BUDGET - 2_000:
            left = len(rows) - index
            kept.append(f"| … | | {left} more rows | | see {cell(full_report)} | |")
            break
        kept.append(row)
    return kept
