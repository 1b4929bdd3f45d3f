"""A foreign key points at a table Heroku Connect syncs.

Connect reloads a mapped table by deleting and re-inserting its rows. A foreign key from any
other table into it (declared with ALTER TABLE or inline REFERENCES, NOT VALID or not) makes that
reload fail with an IntegrityError, and the mapping stays broken. Pointing at `id` is doubly
wrong: `id` is Connect's serial, and Heroku's "Heroku Connect Database Tables" says "Heroku
Connect makes no guarantees about when the sequence is reset or about the uniqueness of values
across reloads", so even a valid key may point at another record after a reload.
`REFERENCES salesforce.account` without a column also means `id` (the primary key).

Bad:

    CREATE TABLE public.invoice (
        id bigserial PRIMARY KEY,
        account_id integer REFERENCES salesforce.account (id)
    );

Good: store the Salesforce id and join on it, without a constraint:

    CREATE TABLE public.invoice (
        id bigserial PRIMARY KEY,
        account_sfid varchar(18) NOT NULL
    );
    CREATE INDEX invoice_account_sfid ON public.invoice (account_sfid);
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node
from connect_gate.migrations.context import names as string_names
from connect_gate.migrations.nodes import added_constraints

CHECK = info(
    sys.modules[__name__],
    "foreign-key-added-to-mapped-table",
    "Foreign key pointing at a mapped table",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("CreateStmt", "AlterTableStmt"),
    doc_url="https://devcenter.heroku.com/articles/heroku-connect-database-tables",
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    for constraint in added_constraints(ctx.kind, node):
        if constraint["contype"] != "CONSTR_FOREIGN" or "pktable" not in constraint:
            continue
        target = ctx.relation(constraint["pktable"])
        mapping = ctx.mapping(target)
        if mapping is None:
            continue
        columns = string_names(constraint.get("pk_attrs", ()))
        message = (
            f"Adds a foreign key referencing {target}({', '.join(columns) or 'its primary key'}), a table "
            f"Heroku Connect syncs ({mapping.object_name}): reloads of it will fail with an IntegrityError."
        )
        if not columns or columns == ["id"]:
            message += (
                " Worse, it points at `id`, Connect's serial: Heroku does not guarantee its values "
                "across reloads."
            )
        yield Problem(message, target.location)
