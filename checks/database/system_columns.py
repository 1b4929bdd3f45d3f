"""Every mapped table has Connect's system columns.

Connect needs `id` (its serial key), `sfid` (the Salesforce Id), `systemmodstamp`, `_hc_lastop`
and `_hc_err` on every mapped table; its triggers and its sync read and write them.

Bad:

    ALTER TABLE salesforce.account DROP COLUMN _hc_err;   -- "unused" column

Good: leave the system columns alone; the app can ignore them.
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
    "system-column-missing",
    "System column missing",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    for mapping in state.present_mappings():
        present = catalog.columns_of(mapping.table)
        missing = [column for column in names.SYSTEM_COLUMNS if column not in present]
        if missing:
            yield Problem(
                f"{qualified(state, mapping.table)} lacks Connect's system column(s) {', '.join(missing)}",
                subject=mapping.table,
            )
