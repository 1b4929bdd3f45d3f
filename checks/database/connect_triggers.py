"""Connect's two triggers are on every mapped table, and enabled.

`hc_<table>_logtrigger` records each change in `_trigger_log` (that is how changes reach
Salesforce) and `hc_<table>_status_trigger` marks the row PENDING. Dropped or disabled, writes
to Salesforce silently stop.

Bad:

    ALTER TABLE salesforce.account DISABLE TRIGGER ALL;   -- "to speed up a bulk update"

Good: leave the triggers enabled; a bulk change that must not reach Salesforce belongs in
Salesforce or in a table that is not mapped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.checks.database.base import qualified
from connect_gate.database import names
from connect_gate.findings import Source, Status

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "connect-trigger",
    "Connect trigger missing or disabled",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    for mapping in state.present_mappings():
        present = catalog.triggers_of(mapping.table)
        for name in names.connect_triggers(mapping.table):
            trigger = present.get(name)
            if trigger is None or not trigger.enabled:
                what = "missing" if trigger is None else "disabled"
                yield Problem(
                    f"trigger {name} on {qualified(state, mapping.table)} is {what}", subject=mapping.table
                )
