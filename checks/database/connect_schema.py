"""Connect's schema, system tables and functions are all there.

Connect keeps its bookkeeping in the connection's schema (usually `salesforce`): `_trigger_log`
and `_trigger_log_archive` (changes to write to Salesforce), `_hcmeta` (its version) and
`_sf_event_log`, the functions `tlog_notify_trigger`, `hc_capture_insert_from_row` and
`hc_capture_update_from_row`, and the trigger `tlog_insert_trigger` on `_trigger_log`. Without
one of the tables the connection goes down (DB_UNAVAILABLE) and the only fix is to recreate it.

Bad:

    DROP TABLE salesforce._hcmeta;          -- "cleaning up" a table the app does not use

Good: leave everything in the Connect schema whose name starts with `_` or `hc_` alone; keep the
app's own tables in another schema.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.database import names
from connect_gate.findings import Source, Status

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "connect-schema",
    "Connect schema and system tables",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    schema = state.schema
    if not catalog.schema_exists:
        yield Problem(f"schema {schema} does not exist: Connect keeps its tables in it")
        return
    missing = [table for table in names.SYSTEM_TABLES if table not in catalog.tables]
    if missing:
        yield Problem(f"system table(s) missing from schema {schema}: {', '.join(missing)}")
    functions = [f for f in names.SCHEMA_FUNCTIONS if f"{schema}.{f}" not in catalog.functions]
    if functions:
        yield Problem(f"function(s) missing from schema {schema}: {', '.join(functions)}")
    if "_trigger_log" in catalog.tables:
        trigger = catalog.triggers_of("_trigger_log").get(names.TLOG_TRIGGER)
        if trigger is None or not trigger.enabled:
            what = "missing" if trigger is None else "disabled"
            yield Problem(f"trigger {names.TLOG_TRIGGER} on {schema}._trigger_log is {what}")
