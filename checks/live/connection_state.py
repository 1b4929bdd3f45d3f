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
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.heroku.models import Connection
from connect_gate.heroku.states import CONNECTION_BROKEN, CONNECTION_PAUSED

CHECK = info(
    sys.modules[__name__],
    "connection-state",
    "Connection state",
    Source.LIVE,
    Status.RED,
    reads=Reads.CONNECTION,
)


def find(connection: Connection) -> Iterator[Problem]:
    if connection.state in CONNECTION_BROKEN:
        yield Problem(f"Connection `{connection.name}` is {connection.state}: it is not syncing.")
    elif connection.state in CONNECTION_PAUSED:
        yield Problem(
            f"Connection `{connection.name}` is {connection.state}: sync is paused.", status=Status.YELLOW
        )
