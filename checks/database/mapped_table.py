"""Every mapped object has its table in the Connect schema.

Connect syncs each mapped object into a table named after it, lowercased (`My_Obj__c` →
`my_obj__c`). A renamed, moved or dropped table no longer matches the mapping and the sync of
that object stops.

Bad:

    ALTER TABLE salesforce.account RENAME TO accounts;

Good: keep the mapped table's name and schema; give the app a view with the name it wants:

    CREATE VIEW public.accounts AS SELECT sfid, name FROM salesforce.account;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.checks.database.base import qualified
from connect_gate.database.errors import NotApplicableError
from connect_gate.findings import Source, Status

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "mapped-table-missing",
    "Mapped table missing",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    if not catalog.schema_exists:
        raise NotApplicableError(f"schema {state.schema} does not exist")
    for mapping in state.config.mappings:
        if mapping.table not in catalog.tables:
            yield Problem(f"table {qualified(state, mapping.table)} does not exist", subject=mapping.table)
