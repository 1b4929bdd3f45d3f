"""The decision: a pure function from (findings, policy, today) to one Decision per finding.

Order of resolution for a finding that is not GREEN:
1. the first entry of `checks` that matches it (check, and mapping/connection when given),
   except for SKIPPED findings, which only `defaults.skipped` decides;
2. otherwise `defaults` for its status;
3. if that blocks or warns, an unexpired matching waiver turns it into WAIVED.
The policy's own problems (expired or unused waivers: the checks that read a waiver) come back
as extra decided findings, and so do the findings that inline SQL waivers cover (WAIVED).
"""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from connect_gate.check import Reads, findings_of
from connect_gate.checks import of_kind, source_of
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status, WaivedFinding
from connect_gate.policy.model import Action, Policy, Rule, Waiver, WaiverUse


class Outcome(enum.Enum):
    """What the gate does with a finding, in order of severity."""

    PASS = "pass"
    SKIPPED = "skipped"
    WAIVED = "waived"
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _OUTCOME_RANK[self]


_OUTCOME_RANK = {outcome: rank for rank, outcome in enumerate(Outcome)}


@dataclass(frozen=True, slots=True)
class Decision:
    finding: Finding
    outcome: Outcome
    reason: str  # which rule of the policy decided, in words
    waiver: Waiver | None = None


_ACTION_OUTCOME = {Action.BLOCK: Outcome.BLOCK, Action.WARN: Outcome.WARN, Action.IGNORE: Outcome.PASS}


def decide(
    findings: Sequence[Finding],
    policy: Policy,
    today: datetime.date,
    sources_run: Collection[Source] | None = None,
    waived_inline: Sequence[WaivedFinding] = (),
) -> list[Decision]:
    """Decide every finding; `sources_run` (default: all) limits which waivers can be "unused".

    A waiver for a migration rule is not unused when the migrations were not analysed.
    `waived_inline` are findings an inline waiver in their file covers: decided WAIVED, last.
    """
    index = _PolicyIndex(policy)
    decisions = [_decide_one(finding, index, today) for finding in findings]
    used = {id(d.waiver) for d in decisions if d.waiver is not None}
    uses = [WaiverUse(today, id(w) in used, _could_match(w, sources_run)) for w in policy.waivers]
    policy_findings = [
        finding
        for check in of_kind(Reads.WAIVER)
        for waiver, use in zip(policy.waivers, uses, strict=True)
        for finding in findings_of(
            check, (waiver, use), _on_waiver(waiver), Location(waiver.file, waiver.line)
        )
    ]
    return (
        decisions
        + [_decide_one(finding, index, today) for finding in policy_findings]
        + [Decision(w.finding, Outcome.WAIVED, f"waived in the SQL: {w.reason}") for w in waived_inline]
    )


Item = TypeVar("Item", Rule, Waiver)


class _ByCheck(Generic[Item]):
    """Rules or waivers by the check (and mapping) they name, so a finding meets only those that
    could match it: deciding stays linear in findings plus entries (8,000 waivers, not 8,000²)."""

    def __init__(self, items: Sequence[Item]) -> None:
        self._by_key: dict[tuple[str, str | None], list[tuple[int, Item]]] = defaultdict(list)
        for position, item in enumerate(items):
            mapping = item.selector.mapping.casefold() if item.selector.mapping is not None else None
            self._by_key[(item.selector.check.casefold(), mapping)].append((position, item))

    def candidates(self, finding: Finding) -> list[Item]:
        """The entries naming the finding's check id or name (and none or one of its mappings), in
        the policy's order; `Selector.matches` still decides."""
        if not self._by_key:  # no rules or no waivers: most runs
            return []
        checks = {finding.check_id.casefold(), finding.name.casefold()}
        mappings: set[str | None] = {None, finding.mapping.casefold() or None}
        if finding.scope.kind is ScopeKind.MAPPING:
            mappings.add(finding.scope.name.casefold())
        found = [
            pair
            for check in checks
            for mapping in mappings
            for pair in self._by_key.get((check, mapping), ())
        ]
        found.sort(key=lambda pair: pair[0])
        return [item for _, item in found]


class _PolicyIndex:
    def __init__(self, policy: Policy) -> None:
        self.rules = _ByCheck(policy.rules)
        self.waivers = _ByCheck(policy.waivers)
        # by status: one outcome and one reason string, shared by every finding the defaults decide
        self.defaults = {status: _default_outcome(status, policy) for status in policy.defaults}


def _could_match(waiver: Waiver, sources_run: Collection[Source] | None) -> bool:
    source = source_of(waiver.selector.check)
    return sources_run is None or source is None or source in sources_run


def _on_waiver(waiver: Waiver) -> Callable[[str | None], Scope]:
    return lambda _: Scope(ScopeKind.POLICY, waiver.file)


def _decide_one(finding: Finding, index: _PolicyIndex, today: datetime.date) -> Decision:
    if finding.status is Status.GREEN:
        return Decision(finding, Outcome.PASS, "GREEN")
    outcome, reason = _policy_outcome(finding, index)
    if outcome in (Outcome.BLOCK, Outcome.WARN):
        for waiver in index.waivers.candidates(finding):
            if waiver.selector.matches(finding) and not waiver.expired(today):
                return Decision(finding, Outcome.WAIVED, _waiver_reason(waiver), waiver)
    return Decision(finding, outcome, reason)


def _policy_outcome(finding: Finding, index: _PolicyIndex) -> tuple[Outcome, str]:
    if finding.status is not Status.SKIPPED:
        for rule in index.rules.candidates(finding):
            if rule.selector.matches(finding):
                return _ACTION_OUTCOME[rule.action], f"{rule.action.value} by {rule.origin}"
    return index.defaults[finding.status]


def _default_outcome(status: Status, policy: Policy) -> tuple[Outcome, str]:
    action = policy.defaults[status]
    outcome = _ACTION_OUTCOME[action]
    if status is Status.SKIPPED and outcome is Outcome.PASS:
        outcome = Outcome.SKIPPED
    verb = {Action.BLOCK: "blocks", Action.WARN: "warns", Action.IGNORE: "is ignored"}[action]
    return outcome, f"{status.value} {verb} by default ({policy.origin})"


def _waiver_reason(waiver: Waiver) -> str:
    by = f" by {waiver.by}" if waiver.by else ""
    until = f" until {waiver.expires.isoformat()}" if waiver.expires else ""
    return f"waived{by}{until} ({waiver.origin}): {waiver.reason}"
