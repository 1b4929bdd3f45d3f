"""The connection is in a broken or paused state.

Heroku Connect stops syncing in SYSTEM_ERROR, DB_UNAVAILABLE (often: Connect's own tables such as
`_trigger_log` were dropped), TOO_MANY_ROWS, UNAUTHORIZED, HEROKU_UNAUTH and INACTIVE_ORG: these
block. PAUSED and RECOVERY sync nothing for now: a warning.

Bad: a migration dropped `salesforce._trigger_log`; the connection goes to DB_UNAVAILABLE and can
only be recreated.

Good: leave Connect's system tables alone; the connection stays IDLE or POLLING_DB_CHANGES.
"""

from __future__ import annotations

import sys

from checks.base import info
from checks.live.common import on_connection
from connect_gate.findings import Finding, Source, Status
from connect_gate.heroku.models import Connection
from connect_gate.heroku.states import CONNECTION_BROKEN, CONNECTION_PAUSED

CHECK = info(sys.modules[__name__], "connection-state", "Connection state", Source.LIVE, Status.RED)


def check(connection: Connection) -> Finding | None:
    if connection.state in CONNECTION_BROKEN:
        return on_connection(
            CHECK, connection, f"Connection `{connection.name}` is {connection.state}: it is not syncing."
        )
    if connection.state in CONNECTION_PAUSED:
        return on_connection(
            CHECK,
            connection,
            f"Connection `{connection.name}` is {connection.state}: sync is paused.",
            Status.YELLOW,
        )
    return None
