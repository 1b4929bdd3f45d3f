"""A foreign key points at a mapped table.

Connect reloads a table by emptying and refilling it; a foreign key that references it makes the
reload fail with an IntegrityError, whatever its form (ALTER TABLE, inline REFERENCES, NOT
VALID). Referencing `id` is doubly wrong: Connect renumbers `id` on every reload.

Bad:

    CREATE TABLE public.invoice (id serial, account_id integer REFERENCES salesforce.account (id));

Good: store the Salesforce Id and join on it, without a constraint:

    CREATE TABLE public.invoice (id serial, account_sfid varchar(18));
    CREATE INDEX ON public.invoice (account_sfid);
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
    "foreign-key-into-mapped-table",
    "Foreign key into a mapped table",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    mapped = {mapping.table for mapping in state.present_mappings()}
    for constraint in state.catalog().constraints:
        if constraint.kind != "f" or constraint.referenced_table not in mapped:
            continue
        message = (
            f"foreign key {constraint.name} on {constraint.schema}.{constraint.table} references "
            f"{state.schema}.{constraint.referenced_table}: {constraint.definition}"
        )
        if "id" in constraint.referenced_columns:
            message += "; it references Connect's id, which is renumbered when the table is reloaded"
        yield Problem(message, subject=constraint.referenced_table)
