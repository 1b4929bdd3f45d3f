"""The one record every source produces: a Finding.

Diagnostics (Heroku's checks), the database checks and the migration rules all speak this
language; the policy decides on findings and the reporters print them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.Enum):
    """What a check found, in the colours `heroku connect:diagnose` prints.

    ERROR is ours: the check itself could not run (it crashed, or its input was unreadable).
    """

    GREEN = "GREEN"
    SKIPPED = "SKIPPED"
    YELLOW = "YELLOW"
    RED = "RED"
    ERROR = "ERROR"

    @property
    def rank(self) -> int:
        """Higher is more severe; used to order reports most severe first."""
        return _STATUS_RANK[self]


_STATUS_RANK = {Status.GREEN: 0, Status.SKIPPED: 1, Status.YELLOW: 2, Status.RED: 3, Status.ERROR: 4}


class Source(enum.Enum):
    """Where a finding comes from."""

    DIAGNOSTICS = "diagnostics"  # Heroku's own checks, as the validations API answers them
    LIVE = "live"  # ours, on what the Heroku APIs say: connection and mapping states, write errors
    DATABASE = "database"
    MIGRATIONS = "migrations"
    GATE = "gate"  # the gate's own findings, e.g. an expired waiver in the policy


class ScopeKind(enum.Enum):
    CONNECTION = "connection"
    MAPPING = "mapping"
    FILE = "file"
    DATABASE = "database"
    POLICY = "policy"


class _Fields:
    """Pickled as its class and field values: a slotted dataclass's default reduction is 3x slower,
    and the findings of half a run's migration files come back from a second process
    (connect_gate.forked)."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return type(self), tuple([getattr(self, name) for name in self.__match_args__])  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Scope(_Fields):
    """What a finding is about: a connection, one mapping of it, a migration file...

    `connection` names the owning connection of a mapping, so that mappings of two connections
    (or two apps) never merge into one report section.
    """

    kind: ScopeKind
    name: str
    connection: str = ""

    @property
    def title(self) -> str:
        """The section title, as `heroku connect:diagnose` prints it (`=== <title>`)."""
        if self.kind is ScopeKind.CONNECTION:
            return f"Connection: {self.name}"
        if self.kind is ScopeKind.MAPPING:
            return self.name
        return f"{self.kind.value.capitalize()}: {self.name}"

    @property
    def label(self) -> str:
        """A name unique across one run: a mapping is qualified by its connection."""
        if self.kind is ScopeKind.MAPPING:
            owner = f" ({self.connection})" if self.connection else ""
            return f"Mapping: {self.name}{owner}"
        return self.title


@dataclass(frozen=True, slots=True)
class Location(_Fields):
    """A span in a file, 1-based, as GitHub annotations and SARIF want it."""

    file: str
    line: int
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True, slots=True)
class Finding(_Fields):
    """One result of one check on one scope."""

    source: Source
    check_id: str  # Heroku's rule_id when present, else its display name; ours are kebab-case ids
    name: str  # the display name a user reads
    scope: Scope
    status: Status
    message: str = ""
    doc_url: str = ""
    location: Location | None = None
    mapping: str = ""  # the mapped object a finding scoped to a file or a database is about, if one

    def about_mapping(self, name: str) -> bool:
        """Whether the finding is about the mapping `name` (case-insensitive)."""
        folded = name.casefold()
        if self.scope.kind is ScopeKind.MAPPING and self.scope.name.casefold() == folded:
            return True
        return self.mapping.casefold() == folded

    @property
    def file(self) -> str:
        """The file the finding is in, or ""."""
        if self.location is not None:
            return self.location.file
        return self.scope.name if self.scope.kind is ScopeKind.FILE else ""


@dataclass(frozen=True, slots=True)
class WaivedFinding(_Fields):
    """A finding an inline waiver (`-- connect-gate: ignore` in SQL) covers, with the waiver's reason.

    The policy's decision takes these like its own waivers: they are decided WAIVED.
    """

    finding: Finding
    reason: str
