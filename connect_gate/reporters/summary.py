"""The Markdown job summary: verdict, counts, everything that is not GREEN, and the waivers.

The runner refuses a step summary over 1 MiB whole (actions/runner,
src/Runner.Worker/FileCommandManager.cs, `AttachmentSizeLimit = 1024 * 1024`): the budget counts
every table, the waivers included, and rows past it are left out with a line saying how many and
where they are. Every cell is escaped: file names, too, may hold `|` or line breaks.
"""

from __future__ import annotations

import datetime
import functools
import html
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Summary:
    text: str
    left_out: int  # rows of findings past the size budget


def render_summary(
    decisions: Sequence[Decision], policy: Policy, today: datetime.date, full_report: str
) -> str:
    return summarize(decisions, policy, today, full_report).text


def summarize(
    decisions: Sequence[Decision], policy: Policy, today: datetime.date, full_report: str
) -> Summary:
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
    head_size = sum(len(line.encode()) + 1 for line in lines)
    waivers = _waiver_lines(policy, today, head_size + SIZE_BUDGET // 2, full_report)  # at most half of it
    notable = most_severe_first([d for d in decisions if d.finding.status is not Status.GREEN])
    left_out = 0
    if notable:
        lines += [
            "### Findings that are not GREEN",
            "",
            "| Decision | Status | Check | Scope | Message | Why |",
            "|---|---|---|---|---|---|",
        ]
        used = sum(len(line.encode()) + 1 for line in lines + waivers)
        kept, left_out = _within_budget(  # rows made as they fit: 10,000 findings fill it at ~2,400
            _rows(notable), len(notable), used, full_report, "| … | | {} more rows | | see {} | |"
        )
        lines += kept
        lines += [
            "",
            "Under each check, its id: `connect-gate explain ID` says what it looks for and how to fix it.",
            "",
        ]
    return Summary("\n".join(lines + waivers), left_out)


def _waiver_lines(policy: Policy, today: datetime.date, used: int, full_report: str) -> list[str]:
    """The waivers table, in at most SIZE_BUDGET - `used` bytes."""
    if not policy.waivers:
        return []
    lines = [
        "### Waivers",
        "",
        "| Check | Scope | By | Expires | Reason | Where |",
        "|---|---|---|---|---|---|",
    ]
    rows = []
    for waiver in policy.waivers:
        scope = ", ".join(x for x in (waiver.selector.mapping, waiver.selector.connection) if x) or "all"
        expires = waiver.expires.isoformat() if waiver.expires else "never"
        if waiver.expired(today):
            expires += " (**expired**)"
        rows.append(
            f"| {cell(waiver.selector.check)} | {cell(scope)} | {cell(waiver.by or '—')} | {expires} "
            f"| {cell(waiver.reason)} | {cell(waiver.origin)} |"
        )
    size = used + sum(len(line.encode()) + 1 for line in lines)
    kept, _ = _within_budget(rows, len(rows), size, full_report, "| … | | {} more waivers | | see {} | |")
    return [*lines, *kept, ""]


def _rows(decisions: Iterable[Decision]) -> Iterator[str]:
    """The findings table's rows, made one by one as the budget takes them. A cell many rows
    share (a check, a message, a reason) is escaped once."""
    escaped = functools.cache(cell)
    check = functools.cache(_check_cell)
    for decision in decisions:
        finding = decision.finding
        where = format_location(finding.location) if finding.location is not None else finding.scope.name
        yield (
            f"| {_ICONS[decision.outcome]} | {finding.status.value} "
            f"| {check(finding.name, finding.doc_url, finding.check_id)} | {cell(where)} "
            f"| {escaped(_message(decision))} | {escaped(decision.reason)} |"
        )


def _check_cell(name: str, doc_url: str, check_id: str) -> str:
    """The check's name, linked to its documentation, and its id under it."""
    text = cell(name)
    if doc_url.startswith(LINKED_DOCS):  # the URL comes from outside: only known sites link
        url = quote(doc_url, safe=":/?#@$&'*+,;=%~")  # `(`, `)`, `[`, `]`, `!`, `|`, spaces: encoded
        text = f"[{text}]({url})"
    check_id = clean(check_id).replace("`", "").replace("|", "\\|").replace("\n", " ")
    return f"{text}<br>`{check_id}`"


def _message(decision: Decision) -> str:
    """The finding's message, and under it the "How to fix" line of a Heroku check."""
    fix = fix_line(decision)
    return f"{decision.finding.message}\n{fix}" if fix else decision.finding.message


def _within_budget(
    rows: Iterable[str], count: int, used: int, full_report: str, more: str
) -> tuple[list[str], int]:
    """The first of the `count` rows that fit in the budget after `used` bytes, a `more` row if
    some do not; how many were left out. Rows past the budget are never taken from `rows`."""
    kept: list[str] = []
    size = used
    for index, row in enumerate(rows):
        size += len(row.encode()) + 1
        if size > SIZE_BUDGET - 2_000:
            left = count - index
            kept.append(more.format(left, cell(full_report)))
            return kept, left
        kept.append(row)
    return kept, 0
