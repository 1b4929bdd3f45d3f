"""The live source: from the inputs to each connection's diagnostics payload plus our findings.

    review app (pipeline + PR, or `app`) → connections of the app → per connection: readiness →
    diagnostics of every connection started, then polled together → per connection: write errors

The diagnostics payloads are returned raw, for `connect_gate.sources.diagnostics.read_results`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from connect_gate.check import Reads, findings_of, stamp
from connect_gate.checks import of_kind
from connect_gate.clock import SYSTEM_CLOCK, Clock
from connect_gate.database.url import url_secrets
from connect_gate.errors import InputError, ServiceError
from connect_gate.findings import Finding, Scope, ScopeKind
from connect_gate.heroku import connect, readiness
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import Connection, Unreadable
from connect_gate.heroku.platform import (
    PLATFORM_ACCEPT,
    PLATFORM_URL,
    REVIEW_APP_POLLING,
    app_name,
    config_var,
    wait_for_review_app,
)
from connect_gate.heroku.session import HerokuSession
from connect_gate.heroku.validations import (
    DIAGNOSTICS_POLLING,
    PollPlan,
    collect_results,
    start_validations,
)
from connect_gate.workflow import Progress


@dataclass(frozen=True)
class LiveParams:
    api_key: str = field(repr=False)
    app: str = ""
    pipeline: str = ""
    pr_number: int | None = None
    branch: str = ""
    resource: str = ""
    timeout: float = 300.0  # discovery, then each connection's diagnostics and write errors
    review_app_timeout: float = 600.0
    mappings_timeout: float = 0.0  # 0: do not wait for syncing mappings
    platform_url: str = PLATFORM_URL
    discovery_url: str = connect.DISCOVERY_URL
    diagnostics_polling: PollPlan = DIAGNOSTICS_POLLING
    review_app_polling: PollPlan = REVIEW_APP_POLLING
    mappings_polling: PollPlan = readiness.MAPPINGS_POLLING
    with_export: bool = False  # also fetch each connection's mapping configuration
    with_database_url: bool = False  # also read the config var each connection's `db_key` names
    clock: Clock = field(default=SYSTEM_CLOCK, repr=False)  # deadlines and waits (tests pass their own)


class Diagnostics(NamedTuple):
    connection: str  # the connection's name, as `=== Connection: <name>` shows it
    payload: object  # the validations' raw result
    origin: str  # where it came from, for messages
    export: object = None  # the mapping configuration, when asked for (`with_export`)
    database_url: str = ""  # a secret: the app's database URL, when asked for (`with_database_url`)


@dataclass(frozen=True)
class LiveResult:
    connections: tuple[Diagnostics, ...]
    findings: tuple[Finding, ...]


def run_live(params: LiveParams, progress: Progress | None = None) -> LiveResult:
    progress = progress or Progress()
    with (
        HerokuSession(params.api_key, "the Heroku Platform API", PLATFORM_ACCEPT, progress.line) as platform,
        HerokuSession(params.api_key, "the Heroku Connect API", notify=progress.line) as connect_api,
    ):
        app = params.app
        if not app:
            app, errored = _review_app(platform, params, progress)
            if errored:
                return LiveResult((), tuple(errored))
        with progress.group(f"Heroku Connect connections of app {app}"):
            discovery = Deadline.after(params.timeout, "timeout", params.clock)
            chosen = connect.connections(connect_api, params.discovery_url, app, params.resource, discovery)
            for connection in chosen:
                progress.line(
                    f"connection {connection.name}: {connection.state}, {len(connection.mappings)} mapping(s)"
                )
        prepared = [_prepare(connect_api, connection, params, progress) for connection in chosen]
        started = [
            start_validations(connect_api, connection, deadline)
            for connection, deadline, _ in prepared
            if deadline is not None
        ]
        payloads = iter(collect_results(connect_api, started, progress, params.diagnostics_polling))
        results, findings = [], []
        for connection, deadline, found in prepared:
            findings += found
            if deadline is None:
                continue
            diagnostics, later = _finish(connect_api, connection, next(payloads), deadline, params)
            findings += later
            if params.with_database_url:
                try:
                    url = _database_url(platform, params, app, connection)
                except ServiceError as exc:  # only the database checks needed it: a finding, not a lost run
                    findings.append(
                        unavailable(connection.name, "the database URL", "the database checks", str(exc))
                    )
                    url = ""
                for secret in url_secrets(url) if url else ():  # before anything could print it
                    progress.mask(secret)
                diagnostics = diagnostics._replace(database_url=url)
            results.append(diagnostics)
        return LiveResult(tuple(results), tuple(findings))


def unavailable(connection: str, what: str, feeds: str, failure: str) -> Finding:
    """`what` could not be had from Heroku, so `feeds` did not run: an ERROR finding of the check
    that reports it (`Reads.UNAVAILABLE`), for the policy's `defaults.error` to decide."""
    (check,) = of_kind(Reads.UNAVAILABLE)
    message = f"Could not read {what}, so {feeds} did not run: {failure}"
    return stamp(check.info, Scope(ScopeKind.CONNECTION, connection), message)


def _database_url(platform: HerokuSession, params: LiveParams, app: str, connection: Connection) -> str:
    deadline = Deadline.after(params.timeout, "timeout", params.clock)
    url = config_var(platform, params.platform_url, app, connection.db_key, deadline)
    if not url:
        raise ServiceError(
            f"app `{app}` has no config var `{connection.db_key}`, which connection {connection.name} "
            "names as its database (`db_key`)"
        )
    return url


def _review_app(platform: HerokuSession, params: LiveParams, progress: Progress) -> tuple[str, list[Finding]]:
    """The review app's name, or the findings of the checks on the review app (why there is none)."""
    if not params.pipeline:
        raise InputError("set input `app`, or input `pipeline` to find the pull request's review app")
    deadline = Deadline.after(params.review_app_timeout, "review-app-timeout", params.clock)
    review_app = wait_for_review_app(
        platform,
        params.platform_url,
        params.pipeline,
        pr_number=params.pr_number,
        branch=params.branch,
        deadline=deadline,
        progress=progress,
        plan=params.review_app_polling,
    )
    scope = Scope(ScopeKind.CONNECTION, f"review app of {review_app.label} in pipeline {params.pipeline}")
    found = [
        f for check in of_kind(Reads.REVIEW_APP) for f in findings_of(check, (review_app,), lambda _: scope)
    ]
    if found:
        return "", found
    if review_app.status != "created" or review_app.app_id is None:
        raise ServiceError(
            f"the review app of {review_app.label} is `{review_app.status}` without an app to check"
        )
    return app_name(platform, params.platform_url, review_app.app_id, deadline), []


def _prepare(
    session: HerokuSession, connection: Connection, params: LiveParams, progress: Progress
) -> tuple[Connection, Deadline | None, list[Finding]]:
    """One connection before its diagnostics: wait for its mappings if asked, then its readiness
    findings, and the deadline of its diagnostics (None: not set up, not diagnosed)."""
    if params.mappings_timeout > 0:
        mappings_deadline = Deadline.after(params.mappings_timeout, "mappings-timeout", params.clock)
        connection = readiness.wait_for_mappings(
            session, connection, mappings_deadline, progress, params.mappings_polling
        )
    findings, configured = readiness.findings(connection)
    if not configured:
        return connection, None, findings
    return (
        connection,
        Deadline.after(params.timeout, "timeout", params.clock),
        findings,
    )  # after the wait for mappings


def _finish(
    session: HerokuSession, connection: Connection, payload: object, deadline: Deadline, params: LiveParams
) -> tuple[Diagnostics, list[Finding]]:
    """One diagnosed connection: its write errors, and its mapping configuration when asked for."""
    # These only feed other checks: a failure is a finding there, the diagnostics still count.
    write_errors: object
    try:
        write_errors = connect.write_errors(session, connection, deadline)
    except ServiceError as exc:
        write_errors = Unreadable(str(exc))
    findings = readiness.connection_findings(Reads.WRITE_ERRORS, connection, write_errors)
    export = None
    if params.with_export:
        try:
            export = connect.export(session, connection, deadline)
        except ServiceError as exc:
            what = "the mapping configuration (export)"
            findings.append(unavailable(connection.name, what, "the migration analysis", str(exc)))
    origin = f"diagnostics of connection {connection.name}"
    return Diagnostics(connection.name, payload, origin, export), findings
