"""What a source is: a small object that says when it runs, what it needs and what it provides.

The gate runs the sources the settings turn on in the order of `connect_gate.sources.SOURCES`, in
a plain loop; each adds its findings to one `Gathered` and may provide data later sources need
(`Need`): the live source provides each connection's mapping configuration and database URL,
which the migrations, database and sandbox sources need when no file gives them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from connect_gate.errors import InputError, ServiceError
from connect_gate.findings import Finding, Scope, ScopeKind, Source, WaivedFinding
from connect_gate.mapping_config import MappingConfig
from connect_gate.settings import ChangedOnly, Settings
from connect_gate.workflow import Progress

if TYPE_CHECKING:
    from connect_gate.database.connection import SessionLimits


class Need(enum.Enum):
    MAPPING_CONFIG = "the mapping configuration"
    DATABASE_URLS = "each connection's database URL"


@dataclass
class Gathered:
    """Everything the sources found, and what they provide each other."""

    findings: list[Finding] = field(default_factory=list)
    ran: set[Source] = field(default_factory=set)
    waived_inline: list[WaivedFinding] = field(default_factory=list)  # by `-- connect-gate: ignore`
    notes: list[str] = field(default_factory=list)  # what the gate did, for the log
    warnings: list[str] = field(default_factory=list)  # what the user should fix in the set-up
    export: MappingConfig | None = None  # Need.MAPPING_CONFIG, from the `mapping-config` file
    configs: dict[str, MappingConfig] = field(default_factory=dict)  # or live: connection → its own
    database_urls: dict[str, str] = field(default_factory=dict, repr=False)  # Need.DATABASE_URLS (secrets)
    unavailable: set[Need] = field(default_factory=set)  # asked of Heroku and not had: already a finding

    def skipped(self, what: str, need: Need) -> bool:
        """Whether `what` cannot run because Heroku could not give `need` (then a note says so)."""
        if need in self.unavailable and self.export is None:
            self.notes.append(f"{what}: not run ({need.value} could not be read from Heroku)")
            return True
        return False

    def mapping_config(self, needed_by: str, connection: str | None = None) -> MappingConfig:
        """The export file's configuration, else the live connection's own; else say what is missing."""
        known = self.export or (self.configs.get(connection) if connection else self.only_config())
        if known is not None:
            return known
        raise InputError(
            f"`{needed_by}` needs `mapping-config`: the JSON file `heroku connect:export` writes, "
            "which says what Heroku Connect syncs (with live diagnostics of one connection, the "
            "connection's own configuration is used)"
        )

    def only_config(self) -> MappingConfig | None:
        return next(iter(self.configs.values())) if len(self.configs) == 1 else None


class FindingSource(Protocol):
    """One source of findings (or of data for the others)."""

    provides: frozenset[Need]

    def wanted(self, settings: Settings) -> bool:
        """Whether the settings turn this source on."""

    def needs(self, settings: Settings) -> frozenset[Need]:
        """What it needs from the sources before it (InputError when the settings cannot give it)."""

    def gather(self, settings: Settings, got: Gathered, needed: frozenset[Need], progress: Progress) -> None:
        """Add its findings (and what it provides, when `needed` says a later source wants it)."""


def changed_only(settings: Settings) -> bool:
    """Whether to look only at the migration files the pull request changed."""
    return settings.changed_only is ChangedOnly.TRUE or (
        settings.changed_only is ChangedOnly.AUTO and settings.runner.event_name.startswith("pull_request")
    )


def database_limits(settings: Settings) -> SessionLimits:
    """How long the database may take (`database-timeout`): to connect, and for each query."""
    from connect_gate.database.connection import SessionLimits

    return SessionLimits.within(int(settings.database_timeout))


def unreachable(got: Gathered, what: str, failure: ServiceError, connection: str | None = None) -> Finding:
    """`what` (a database) failed: once anything was learned, an ERROR finding of the check that
    reports it (`Reads.UNREACHABLE`), for the policy's `defaults.error` to decide, so what was
    learned is still reported; when nothing was, the failure itself (exit 3, or `on-error: warn`)."""
    if not got.findings:
        raise failure
    from connect_gate.check import Reads, stamp
    from connect_gate.checks import of_kind

    (check,) = of_kind(Reads.UNREACHABLE)
    scope = Scope(ScopeKind.CONNECTION, connection) if connection else Scope(ScopeKind.DATABASE, what)
    return stamp(check.info, scope, f"Could not reach {what}, so its checks did not run: {failure}")
