"""The policy as the decision function sees it: plain frozen data, already validated."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

from connect_gate.findings import Finding, ScopeKind, Status


class Action(enum.Enum):
    BLOCK = "block"
    WARN = "warn"
    IGNORE = "ignore"


DEFAULT_ACTIONS: dict[Status, Action] = {
    Status.RED: Action.BLOCK,
    Status.YELLOW: Action.WARN,
    Status.SKIPPED: Action.IGNORE,
    Status.ERROR: Action.BLOCK,
}


@dataclass(frozen=True, slots=True)
class Selector:
    """Which findings a rule or waiver is about: one check, optionally one mapping, connection or file.

    A mapping matches a finding on that mapping, and a finding in a file or the sandbox that is
    about it (a migration's write to its table); a file matches findings in that file (a
    migration's path, relative to the repository).
    """

    check: str
    mapping: str | None = None
    connection: str | None = None
    file: str | None = None

    def matches(self, finding: Finding) -> bool:
        check = self.check.casefold()
        if check not in (finding.check_id.casefold(), finding.name.casefold()):
            return False
        if self.mapping is not None and not finding.about_mapping(self.mapping):
            return False
        if self.file is not None and finding.file != self.file.removeprefix("./"):
            return False
        if self.connection is not None:
            owner = finding.scope.connection or (
                finding.scope.name if finding.scope.kind is ScopeKind.CONNECTION else ""
            )
            if owner.casefold() != self.connection.casefold():
                return False
        return True

    def describe(self) -> str:
        where = [f"mapping {self.mapping}"] if self.mapping else []
        where += [f"connection {self.connection}"] if self.connection else []
        where += [f"file {self.file}"] if self.file else []
        return self.check + (f" ({', '.join(where)})" if where else "")


@dataclass(frozen=True, slots=True)
class Rule:
    selector: Selector
    action: Action
    origin: str  # `policy.yml:7 checks[0]`, quoted in the reason of every decision it makes


@dataclass(frozen=True, slots=True)
class Waiver:
    selector: Selector
    reason: str
    origin: str
    file: str
    line: int
    by: str = ""
    expires: datetime.date | None = None

    def expired(self, today: datetime.date) -> bool:
        """A waiver is good through its expiry day and stops the day after."""
        return self.expires is not None and today > self.expires


@dataclass(frozen=True, slots=True)
class WaiverUse:
    """How one run used a waiver: what the policy checks (`Reads.WAIVER`) read besides the waiver."""

    today: datetime.date
    used: bool  # it waived a finding of this run
    could_match: bool  # the source of the check it names ran (a migration waiver without migrations)


@dataclass(frozen=True, slots=True)
class Policy:
    origin: str  # the file it was read from, or "the built-in default policy"
    defaults: dict[Status, Action] = field(default_factory=lambda: dict(DEFAULT_ACTIONS))
    rules: tuple[Rule, ...] = ()
    waivers: tuple[Waiver, ...] = ()


DEFAULT_POLICY = Policy(origin="the built-in default policy")
