"""NOT NULL, check, exclusion or foreign-key constraints on a mapped table that Connect did not create.

Rows come from Salesforce as Salesforce has them; a row that violates a constraint of ours fails
to sync, and Connect keeps retrying it. (Unique constraints are tolerated; Connect's own are the
primary key on `id` and the unique index on `sfid`.)

Bad:

    ALTER TABLE salesforce.account ALTER COLUMN accountnumber SET NOT NULL;
    ALTER TABLE salesforce.account ADD CONSTRAINT name_length CHECK (length(name) > 2);

Good: make the field required in Salesforce (a validation rule), where the data is written;
validate in the app before writing a row.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.checks.database.base import qualified
from connect_gate.findings import Source, Status

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "constraint-on-mapped-table",
    "Constraint on a mapped table",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)

KINDS = {"c": "check", "f": "foreign key", "x": "exclusion"}
CONNECT_NOT_NULL = frozenset({"id"})


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    mapped = [mapping.table for mapping in state.present_mappings()]
    for table in mapped:
        for column in catalog.columns_of(table).values():
            if column.not_null and column.name not in CONNECT_NOT_NULL:
                yield Problem(f"{qualified(state, table)}.{column.name} is NOT NULL", subject=table)
    tables = set(mapped)
    for constraint in catalog.constraints:
        if constraint.schema == state.schema and constraint.table in tables and constraint.kind in KINDS:
            yield Problem(
                f"{KINDS[constraint.kind]} constraint {constraint.name} on "
                f"{qualified(state, constraint.table)}: {constraint.definition}",
                subject=constraint.table,
            )
