"""Console output in the shape of `heroku connect:diagnose --verbose`, plus each decision.

    === Connection: protected-ridge-4963
    YELLOW: Salesforce API Version → warn
    The latest available Salesforce API version is 66.0. ...
    https://devcenter.heroku.com/articles/heroku-connect-diagnose#check-salesforce-api-version
    Check: MUST_USE_RECENT_API_VERSION (run `connect-gate explain MUST_USE_RECENT_API_VERSION`)
    Decision: YELLOW warns by default (the built-in default policy)

Like the CLI, GREEN and SKIPPED lines appear only when verbose.
"""

from __future__ import annotations

from collections.abc import Sequence

from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Location, Scope, ScopeKind, Source, Status
from connect_gate.reporters.fix import fix_line
from connect_gate.reporters.reference import check_line
from connect_gate.verdict import by_section, verdict_line, verdict_of

_OWN_SECTION = {
    Source.LIVE: "connect-gate connection checks",
    Source.DATABASE: "database checks",
    Source.MIGRATIONS: "migration rules",
}


def render_console(decisions: Sequence[Decision], verbose: bool) -> str:
    lines: list[str] = []
    blocks = _Blocks()
    sections = by_section(decisions)
    heroku_scopes = {scope for scope, source, _ in sections if source is Source.DIAGNOSTICS}
    for scope, source, group in sections:
        shown = [d for d in group if verbose or _worth_showing(d)]
        heroku = source is Source.DIAGNOSTICS and scope.kind is ScopeKind.CONNECTION
        if not shown and not heroku:
            continue
        shared = source is not Source.DIAGNOSTICS and scope in heroku_scopes
        lines.append(f"=== {section_title(scope, source) if shared else scope.title}")
        lines.extend(blocks.of(decision) for decision in shown)
    lines.append(verdict_line(verdict_of(decisions)))
    return "\n".join(lines) + "\n"


def section_title(scope: Scope, source: Source) -> str:
    """The title of our section on a scope that Heroku's results also have: it says whose it is."""
    return f"{scope.title} ({_OWN_SECTION[source]})" if source in _OWN_SECTION else scope.title


def _worth_showing(decision: Decision) -> bool:
    quiet = decision.finding.status in (Status.GREEN, Status.SKIPPED)
    return not quiet or decision.outcome in (Outcome.BLOCK, Outcome.WARN, Outcome.WAIVED)


class _Blocks:
    """The lines printed for each decision. Its first line and the lines that depend only on the
    check and the decision (documentation, id, fix, reason) are the same for many findings: they
    are made once."""

    def __init__(self) -> None:
        self._made: dict[tuple[Status, str, str, str, Source, Outcome, str], tuple[str, str]] = {}

    def of(self, decision: Decision) -> str:
        finding = decision.finding
        key = (
            finding.status,
            finding.name,
            finding.check_id,
            finding.doc_url,
            finding.source,
            decision.outcome,
            decision.reason,
        )
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _head_and_tail(decision)
        head, tail = made
        if finding.status is Status.GREEN:
            return head
        lines = [head]
        if finding.location is not None:
            lines.append(f"at {format_location(finding.location)}")
        if finding.message:
            lines.append(finding.message)
        lines.append(tail)
        return "\n".join(lines)


def _head_and_tail(decision: Decision) -> tuple[str, str]:
    finding = decision.finding
    tail = [finding.doc_url] if finding.doc_url else []
    tail.append(check_line(finding))
    if fix := fix_line(decision):
        tail.append(fix)
    tail.append(f"Decision: {decision.reason}")
    return f"{finding.status.value}: {finding.name} → {decision.outcome.value}", "\n".join(tail)


def format_location(location: Location) -> str:
    """`file:line:column`, the form editors and terminals turn into links."""
    text = f"{location.file}:{location.line}"
    return text + (f":{location.column}" if location.column is not None else "")
