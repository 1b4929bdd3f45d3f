"""Run every source the settings turn on and gather their findings.

Saved or live diagnostics first (a live run can also give the mapping configuration and the
database URL the other sources need), then the migration files, the database and the sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from connect_gate.decide import Decision, Outcome
from connect_gate.drift import attach_drift
from connect_gate.errors import InputError, LearnedError, ServiceError
from connect_gate.findings import Finding, ScopeKind, Source
from connect_gate.heroku.progress import SILENT, Progress
from connect_gate.mapping_config import MappingConfig
from connect_gate.settings import DATABASE_FROM_APP, Settings

if TYPE_CHECKING:
    from connect_gate.database.connection import SessionLimits
    from connect_gate.migrations.analyse import WaivedFinding
    from connect_gate.migrations.discover import Discovery
    from connect_gate.sources.live import LiveSource


T = TypeVar("T")


@dataclass
class Collected:
    findings: list[Finding] = field(default_factory=list)
    ran: set[Source] = field(default_factory=set)
    waived_in_source: list[Decision] = field(default_factory=list)  # inline SQL waivers
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def collect(settings: Settings, progress: Progress | None = None) -> Collected:
    """Findings of every source the settings turn on, and which sources ran."""
    got = Collected()
    if settings.results_file:
        from connect_gate.sources.results_file import read_results_file

        got.findings += read_results_file(settings.results_file, settings.connection_name)
        got.ran.add(Source.DIAGNOSTICS)
    exported = _load_export(settings)  # read once, whichever sources need it
    live_run = bool(settings.app or settings.pipeline)
    migrations = (bool(settings.mapping_config) or live_run) and settings.migrations.strip().lower() != "none"
    found = _discover(settings) if migrations else None
    from_app = settings.database_url.reveal() == DATABASE_FROM_APP
    live: LiveSource | None = None
    needs_config = False
    if live_run:
        from connect_gate.sources.live import read_live

        # The export is fetched only when something will use it (migration files to analyse...).
        needs_config = exported is None and (
            bool(settings.database_url) or bool(settings.sandbox_url) or bool(found and found.files)
        )
        live = read_live(settings, progress or SILENT, with_export=needs_config, with_database_url=from_app)
        got.findings += live.findings
        got.ran |= {Source.DIAGNOSTICS, Source.LIVE}
    elif from_app:
        raise InputError(
            f"`database-url: {DATABASE_FROM_APP}` needs live diagnostics: set `app` or `pipeline`"
        )
    live_config = _only(live.configs) if live else None
    # A live export that could not be read is already an ERROR finding (connection-data-unavailable).
    unread = needs_config and live is not None and not live.configs
    if found is not None:
        why = (
            "the connection's mapping configuration could not be read"
            if unread
            else "several connections"
            if live and live.configs
            else "no connection was diagnosed"
        )
        _analyse_migrations(settings, got, found, exported or live_config, why)
    if from_app and live is not None:
        for connection, url in live.database_urls.items():
            config = _mapping_config("database-url", exported or live.configs.get(connection))
            got.findings += _learned(got, partial(_database_findings, settings, url, config, connection))
        got.ran.add(Source.DATABASE)
    elif settings.database_url and unread:
        got.notes.append("database: not checked (the connection's mapping configuration could not be read)")
    elif settings.database_url:
        config = _mapping_config("database-url", exported or live_config)
        url = settings.database_url.reveal()
        got.findings += _learned(
            got, lambda: _database_findings(settings, url, config, _connection_of(got.findings))
        )
        got.ran.add(Source.DATABASE)
    if settings.sandbox_url and unread:
        got.notes.append("sandbox: not judged (the connection's mapping configuration could not be read)")
    elif settings.sandbox_url:
        _learned(got, lambda: _sandbox(settings, got, exported or live_config))
    if not got.ran:
        raise InputError(
            "nothing to check: give `results-file` (saved Heroku Connect diagnostics), `app` or `pipeline` "
            "(live diagnostics), `mapping-config` (to analyse the migrations), `database-url` or "
            "`sandbox-url` (with `mapping-config`); see `connect-gate --help`"
        )
    configs = live.configs if live else {}
    got.findings = attach_drift(
        got.findings, lambda connection: exported or configs.get(connection, live_config)
    )
    return got


def _analyse_migrations(
    settings: Settings, got: Collected, found: Discovery, known: MappingConfig | None, why_unknown: str
) -> None:
    if known is not None:
        _migrations(settings, got, found, known)
    elif not found.files:
        got.notes.append("migrations: no file matching `migrations`")
        got.ran.add(Source.MIGRATIONS)
    else:
        got.notes.append(f"migrations: not analysed ({why_unknown}); give `mapping-config` to analyse them")


def _only(configs: dict[str, MappingConfig]) -> MappingConfig | None:
    return next(iter(configs.values())) if len(configs) == 1 else None


def _connection_of(findings: list[Finding]) -> str | None:
    """The one connection the diagnostics are about, so database findings join its sections."""
    names = {f.scope.name for f in findings if f.scope.kind is ScopeKind.CONNECTION}
    names |= {f.scope.connection for f in findings if f.source is Source.DIAGNOSTICS and f.scope.connection}
    return names.pop() if len(names) == 1 else None


def _load_export(settings: Settings) -> MappingConfig | None:
    if not settings.mapping_config:
        return None
    from connect_gate.mapping_config import load_export

    return load_export(settings.mapping_config, settings.schema or None)


def _mapping_config(needed_by: str, known: MappingConfig | None) -> MappingConfig:
    """The export file's configuration, or the live connection's own; else say what is missing."""
    if known is not None:
        return known
    raise InputError(
        f"`{needed_by}` needs `mapping-config`: the JSON file `heroku connect:export` writes, "
        "which says what Heroku Connect syncs (with live diagnostics of one connection, the "
        "connection's own configuration is used)"
    )


def _learned(got: Collected, run: Callable[[], T]) -> T:
    """Run a later source; if its service fails after diagnostics were learned, `on-error: warn`
    must not turn the run into a pass: the failure becomes a LearnedError (exit status 3)."""
    try:
        return run()
    except LearnedError:
        raise
    except ServiceError as exc:
        if got.findings:
            raise LearnedError(
                f"{exc} (after diagnostics were received: on-error cannot let this pass)"
            ) from None
        raise


def _discover(settings: Settings) -> Discovery:
    from connect_gate.event import pull_request
    from connect_gate.migrations.discover import discover, patterns_from_input

    root = Path(settings.runner.workspace or ".")
    pr = pull_request(settings.runner.event_path)
    return discover(patterns_from_input(settings.migrations), root, _changed_only(settings), pr.base_sha)


def _migrations(settings: Settings, got: Collected, found: Discovery, known: MappingConfig | None) -> None:
    from connect_gate.migrations.analyse import analyse_files

    root = Path(settings.runner.workspace or ".")
    changed_only = _changed_only(settings)
    if found.notice:
        got.warnings.append(found.notice)
    config = _mapping_config("migrations", known)
    analysis = analyse_files(found.files, config, root, _search_path(settings))
    which = "changed by the pull request" if changed_only and not found.notice else "matching `migrations`"
    got.notes.append(
        f"migrations: {analysis.files} file(s) {which}, {analysis.statements} statement(s) analysed"
    )
    got.findings += analysis.findings
    got.waived_in_source += _waived_in_sql(analysis.waived)
    got.ran.add(Source.MIGRATIONS)


def _search_path(settings: Settings) -> tuple[str, ...]:
    return tuple(part.strip() for part in settings.search_path.split(",") if part.strip()) or ("public",)


def _waived_in_sql(waived: Iterable[WaivedFinding]) -> list[Decision]:
    """Findings an inline `-- connect-gate: ignore` comment covers: decided before the policy."""
    return [Decision(w.finding, Outcome.WAIVED, f"waived in the SQL: {w.reason}") for w in waived]


def _changed_only(settings: Settings) -> bool:
    return settings.changed_only == "true" or (
        settings.changed_only == "auto" and settings.runner.event_name.startswith("pull_request")
    )


def _database_findings(
    settings: Settings, url: str, config: MappingConfig, connection: str | None
) -> list[Finding]:
    from connect_gate.database.run import run_database_checks

    return run_database_checks(
        url,
        config,
        failed_hours=settings.failed_hours,
        stuck_minutes=settings.stuck_minutes,
        require_tls=settings.database_tls,
        connection=connection,
        limits=_database_limits(settings),
    )


def _database_limits(settings: Settings) -> SessionLimits:
    from connect_gate.database.connection import SessionLimits

    if settings.database_timeout < 1:
        raise InputError(
            f"input `database-timeout`: expected at least 1 second, got {settings.database_timeout}"
        )
    return SessionLimits.within(settings.database_timeout)


def _sandbox(settings: Settings, got: Collected, known: MappingConfig | None) -> None:
    from connect_gate.database.state import CheckOptions
    from connect_gate.event import pull_request
    from connect_gate.migrations.discover import changed_files, patterns_from_input
    from connect_gate.sandbox.judge import check_sandbox

    root = Path(settings.runner.workspace or ".")
    changed: set[str] | None = None
    if _changed_only(settings):
        changed, notice = changed_files(root, pull_request(settings.runner.event_path).base_sha)
        if notice and notice not in got.warnings:
            got.warnings.append(notice)
    judged = check_sandbox(
        settings.sandbox_url.reveal(),
        _mapping_config("sandbox-url", known),
        root,
        patterns_from_input(settings.migrations),
        options=CheckOptions(settings.failed_hours, settings.stuck_minutes),
        search_path=_search_path(settings),
        changed=changed,
        limits=_database_limits(settings),
    )
    got.notes.append(judged.note)
    # A SQL file the static analysis read and the sandbox ran gives the same finding twice: keep one.
    static = {(f.check_id, f.location) for f in got.findings if f.source is Source.MIGRATIONS and f.location}
    got.findings += [f for f in judged.findings if (f.check_id, f.location) not in static]
    got.waived_in_source += _waived_in_sql(judged.waived)
    got.ran |= {Source.MIGRATIONS, Source.DATABASE}
