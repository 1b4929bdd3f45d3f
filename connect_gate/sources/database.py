"""`database-url`: the review app's database, read only, through the database checks."""

from __future__ import annotations

from connect_gate.errors import InputError, ServiceError
from connect_gate.findings import Finding, ScopeKind, Source
from connect_gate.mapping_config import MappingConfig
from connect_gate.settings import DATABASE_FROM_APP, Settings
from connect_gate.sources.base import Gathered, Need, database_limits, unreachable
from connect_gate.workflow import Progress


class Database:
    provides: frozenset[Need] = frozenset()

    def wanted(self, settings: Settings) -> bool:
        return bool(settings.database_url)

    def needs(self, settings: Settings) -> frozenset[Need]:
        if not _from_app(settings):
            return frozenset({Need.MAPPING_CONFIG})
        if not (settings.app or settings.pipeline):
            raise InputError(
                f"`database-url: {DATABASE_FROM_APP}` needs live diagnostics: set `app` or `pipeline`"
            )
        return frozenset({Need.MAPPING_CONFIG, Need.DATABASE_URLS})

    def gather(self, settings: Settings, got: Gathered, needed: frozenset[Need], progress: Progress) -> None:
        if got.skipped("database", Need.MAPPING_CONFIG):
            return
        if _from_app(settings):
            for connection, url in got.database_urls.items():
                config = got.mapping_config("database-url", connection)
                got.findings += _findings(settings, got, url, config, connection)
        else:
            config = got.mapping_config("database-url")
            url = settings.database_url.reveal()
            got.findings += _findings(settings, got, url, config, _connection_of(got.findings))
        got.ran.add(Source.DATABASE)


def _from_app(settings: Settings) -> bool:
    return settings.database_url.reveal() == DATABASE_FROM_APP


def _connection_of(findings: list[Finding]) -> str | None:
    """The one connection the diagnostics are about, so database findings join its sections."""
    names = {f.scope.name for f in findings if f.scope.kind is ScopeKind.CONNECTION}
    names |= {f.scope.connection for f in findings if f.source is Source.DIAGNOSTICS and f.scope.connection}
    return names.pop() if len(names) == 1 else None


def _findings(
    settings: Settings, got: Gathered, url: str, config: MappingConfig, connection: str | None
) -> list[Finding]:
    from connect_gate.database.run import run_database_checks

    try:
        return run_database_checks(
            url,
            config,
            failed_hours=settings.failed_hours,
            stuck_minutes=settings.stuck_minutes,
            require_tls=settings.database_tls,
            connection=connection,
            limits=database_limits(settings),
        )
    except ServiceError as exc:
        return [unreachable(got, "the database (`database-url`)", exc, connection)]
