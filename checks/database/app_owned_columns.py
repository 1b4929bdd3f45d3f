"""Columns on a mapped table that are not in the mapping (app-owned columns on a synced table).

Connect does not manage them: Salesforce never fills them, and they are lost when the mapping is
recreated or a configuration is imported. With NOT NULL and no default they make every row
coming from Salesforce fail (see `constraint-on-mapped-table`).

Bad:

    ALTER TABLE salesforce.account ADD COLUMN loyalty_tier text;

Good: add the field in Salesforce and map it; or keep app data in the app's own table, keyed by
`sfid`:

    CREATE TABLE public.account_loyalty (sfid varchar(18) PRIMARY KEY, loyalty_tier text);
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
    "app-owned-column",
    "Column not in the mapping",
    Source.DATABASE,
    Status.YELLOW,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    for mapping in state.present_mappings():
        extra = sorted(set(catalog.columns_of(mapping.table)) - names.expected_columns(mapping))
        if extra:
            yield Problem(
                f"{qualified(state, mapping.table)} has column(s) not in the mapping: {', '.join(extra)}",
                subject=mapping.table,
            )
