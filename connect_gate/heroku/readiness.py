"""Is the connection ready to be diagnosed? Wait for loading mappings, then report its states.

A connection that is not set up (NEW / NEED_AUTHENTICATION, or no mappings) gets one
"not configured" finding and no diagnostics; broken or paused states and mappings that are
broken or still syncing are findings too (see checks/live/).
"""

from __future__ import annotations

from connect_gate.check import Reads, findings_of
from connect_gate.checks import of_kind
from connect_gate.findings import Finding, Scope, ScopeKind
from connect_gate.heroku import connect
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import Connection
from connect_gate.heroku.session import HerokuSession
from connect_gate.heroku.states import MAPPING_SYNCING
from connect_gate.heroku.validations import PollPlan
from connect_gate.workflow import Progress

MAPPINGS_POLLING = PollPlan(first=2.0, factor=1.5, cap=15.0)


def syncing(connection: Connection) -> list[str]:
    return [f"{m.object_name} ({m.state})" for m in connection.mappings if m.state in MAPPING_SYNCING]


def wait_for_mappings(
    session: HerokuSession,
    connection: Connection,
    deadline: Deadline,
    progress: Progress,
    plan: PollPlan = MAPPINGS_POLLING,
) -> Connection:
    """The connection once no mapping is still syncing, or as it is at the deadline."""
    if not syncing(connection):
        return connection
    interval, begun = plan.first, deadline.clock.monotonic()
    with progress.group(f"Mappings of {connection.name} still syncing"):
        while (loading := syncing(connection)) and deadline.remaining() > 0:
            wait = min(interval, deadline.remaining())
            waited = deadline.clock.monotonic() - begun
            progress.line(f"after {waited:.0f} s: {', '.join(loading)}; next look in {wait:.1f} s")
            deadline.sleep(wait)
            interval = min(interval * plan.factor, plan.cap)
            connection = connect.detail(session, connection.record, deadline)
        progress.line(
            "all mappings settled" if not loading else f"still syncing at the deadline {deadline.hint}"
        )
    return connection


def findings(connection: Connection) -> tuple[list[Finding], bool]:
    """The readiness findings (none when the connection is healthy and every mapping at rest), and
    whether the connection is set up, so that it can be diagnosed.

    The checks of its set-up (`Reads.CONNECTION_SETUP`) run first; when they find something, the
    others have nothing to look at.
    """
    setup = connection_findings(Reads.CONNECTION_SETUP, connection)
    if setup:
        return setup, False
    return connection_findings(Reads.CONNECTION, connection), True


def connection_findings(reads: Reads, connection: Connection, *data: object) -> list[Finding]:
    """Every live check reading `reads`, on the connection (and `data`); a subject is a mapping."""

    def scope(mapping: str | None) -> Scope:
        if mapping is None:
            return Scope(ScopeKind.CONNECTION, connection.name)
        return Scope(ScopeKind.MAPPING, mapping, connection.name)

    return [finding for check in of_kind(reads) for finding in findings_of(check, (connection, *data), scope)]
