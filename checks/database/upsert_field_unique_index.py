"""The upsert field of a read-write mapping has a unique index.

Connect writes new rows to Salesforce by upserting on this External ID field. Without a unique
index the table can hold two rows with the same value, and Salesforce rejects the second write
(DUPLICATE_EXTERNAL_ID), or both rows update the same record.

Bad:

    DROP INDEX salesforce.hcu_idx_account_external_id__c;

Good: keep the unique index Connect created; if the app needs another index on the column, add
it beside (with CREATE INDEX CONCURRENTLY).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.checks.database.base import qualified
from connect_gate.findings import Source, Status
from connect_gate.mapping_config import Access, field_column

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "upsert-field-unique-index",
    "Upsert field without unique index",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    unique = {(index.table, index.columns) for index in catalog.indexes if index.unique}
    for mapping in state.present_mappings():
        if mapping.access is not Access.READ_WRITE or not mapping.upsert_field:
            continue
        column = field_column(mapping.upsert_field)
        if column in catalog.columns_of(mapping.table) and (mapping.table, (column,)) not in unique:
            yield Problem(
                f"{qualified(state, mapping.table)} has no unique index on its "
                f"upsert field {mapping.upsert_field} (column {column})",
                subject=mapping.table,
            )
