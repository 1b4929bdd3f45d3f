"""Run every database check on one snapshot of the database: the entry point for the CLI.

The state is loaded once (a fixed number of statements, see state.py), then each check runs as a
pure function of it. A check that crashes becomes one ERROR finding naming it; the others still
report. A check that finds nothing reports one GREEN finding, so the JUnit report shows what passed.
"""

from __future__ import annotations

from connect_gate.check import Check, Crash, Reads, run, stamp
from connect_gate.checks import of_kind
from connect_gate.database.connection import READ_ONLY_LIMITS, Session, SessionLimits, session
from connect_gate.database.errors import DataUnavailableError, NotApplicableError
from connect_gate.database.state import (
    DEFAULT_FAILED_HOURS,
    DEFAULT_STUCK_MINUTES,
    CheckOptions,
    DatabaseState,
    load_state,
)
from connect_gate.database.url import parse_url, with_tls
from connect_gate.findings import Finding, Scope, ScopeKind, Status
from connect_gate.mapping_config import MappingConfig

DEFAULT_OPTIONS = CheckOptions()


def run_database_checks(
    url: str,
    config: MappingConfig,
    *,
    failed_hours: int = DEFAULT_FAILED_HOURS,
    stuck_minutes: int = DEFAULT_STUCK_MINUTES,
    require_tls: bool = True,
    connection: str | None = None,
    limits: SessionLimits = READ_ONLY_LIMITS,
) -> list[Finding]:
    """Connect read-only to `url` and check it against `config`.

    `connection` names the connection in the findings' scopes (default: the export's connection
    name); pass the name the diagnostics findings use so that both land in the same sections.
    Raises InputError for a malformed URL, ServiceError when the database cannot be reached (the
    message shows the URL with its password masked).
    """
    target = with_tls(parse_url(url), require_tls)
    with session(target, limits) as opened:
        return check_database(opened, config, CheckOptions(failed_hours, stuck_minutes), connection)


def check_database(
    opened: Session,
    config: MappingConfig,
    options: CheckOptions = DEFAULT_OPTIONS,
    connection: str | None = None,
) -> list[Finding]:
    state = load_state(opened, config, options)
    label = config.connection_name if connection is None else connection
    return [finding for check in of_kind(Reads.DATABASE) for finding in run_check(check, state, label)]


def run_check(check: Check, state: DatabaseState, connection: str = "") -> list[Finding]:
    schema_wide = Scope(ScopeKind.DATABASE, state.schema, connection)
    problems = run(check, state)
    if isinstance(problems, Crash):
        error = problems.error
        if isinstance(error, NotApplicableError):
            return [stamp(check.info, schema_wide, str(error), Status.SKIPPED)]
        if isinstance(error, DataUnavailableError):
            return [stamp(check.info, schema_wide, f"{check.info.id} could not run: {error}", Status.ERROR)]
        return [stamp(check.info, schema_wide, f"{check.info.id} crashed: {problems.message}", Status.ERROR)]
    if not problems:
        return [stamp(check.info, schema_wide, f"nothing found in schema {state.schema}", Status.GREEN)]
    return [
        stamp(check.info, _scope(state, problem.subject, connection), problem.message, problem.status)
        for problem in problems
    ]


def _scope(state: DatabaseState, table: str | None, connection: str) -> Scope:
    if table is None:
        return Scope(ScopeKind.DATABASE, state.schema, connection)
    return Scope(ScopeKind.MAPPING, state.object_name(table), connection)
