"""Writes to Salesforce failed recently (`_trigger_log` rows in state FAILED).

Each change to a read-write mapped table is queued in `_trigger_log`; when Salesforce rejects it
the row ends FAILED with Salesforce's reason in `sf_message`, and the change never reaches
Salesforce. The check counts the failures of the last N hours (input `failed-hours`), per table,
with a few distinct messages.

Bad: a migration or the app writes rows Salesforce refuses, e.g. contacts without a last name
(`REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]`).

Good: fix the data or the Salesforce validation; the failed rows are listed in
`salesforce._trigger_log_archive` (`WHERE state = 'FAILED'`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "failed-writes",
    "Failed writes to Salesforce",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    hours = state.options.failed_hours
    for failures in state.failed_writes():
        samples = f": {' | '.join(failures.samples)}" if failures.samples else ""
        yield Problem(
            f"{failures.count} write(s) to Salesforce failed in the last {hours} h{samples}",
            subject=failures.table,
        )
