"""Every mapped field has its column in the mapped table.

Connect keeps each mapped field in a column named after it, lowercased (`External_ID__c` →
`external_id__c`; Salesforce's `Id` lives in `sfid`). A dropped, renamed or retyped column no
longer matches the mapping (Heroku's "Database Field Changes") and the sync of the object stops.

Bad:

    ALTER TABLE salesforce.account DROP COLUMN industry;

Good: remove the field from the mapping in Heroku Connect, which drops the column itself; in the
app, stop reading it first.
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
    "mapped-column-missing",
    "Mapped column missing",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    for mapping in state.present_mappings():
        present = catalog.columns_of(mapping.table)
        missing = [
            f"{field} ({column})"
            for column, field in sorted(names.field_columns(mapping).items())
            if column not in present
        ]
        if missing:
            yield Problem(
                f"{qualified(state, mapping.table)} has no column for the mapped "
                f"field(s) {', '.join(missing)}",
                subject=mapping.table,
            )
