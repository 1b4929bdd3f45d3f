"""Changes wait to be written to Salesforce for too long (a NEW/PENDING backlog in `_trigger_log`).

Connect picks up new `_trigger_log` rows within minutes. Rows still NEW or PENDING after M
minutes (input `stuck-minutes`) mean that writing back is stuck: the connection is paused, not
authorised yet, or failing.

Bad: a review app whose connection was never authorised, while the app writes to mapped tables.

Good: check the connection's state (`heroku connect:info`) and its logs; resume or authorise it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "stuck-writes",
    "Writes to Salesforce stuck",
    Source.DATABASE,
    Status.YELLOW,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    minutes = state.options.stuck_minutes
    for backlog in state.backlog():
        states = ", ".join(f"{name}: {count}" for name, count in backlog.by_state)
        oldest = backlog.oldest.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        yield Problem(
            f"{backlog.count} change(s) waiting more than {minutes} minutes to be "
            f"written to Salesforce ({states}), the oldest since {oldest}",
            subject=backlog.table,
        )
