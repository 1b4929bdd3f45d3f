"""A migration creates a table in the Heroku Connect schema.

The Connect schema belongs to Connect. Creating a mapped table yourself (or letting an ORM create
or migrate it) is worse than useless: Connect never replaces a table that already exists, so the
mapping fails to sync. Any other table there is at risk of colliding with a mapping added later,
and is lost when the connection is recreated.

Heroku's "Heroku Connect Database Tables": "Heroku Connect doesn't replace an existing table when
creating a new mapping. If the table isn't created correctly, you experience errors when syncing
data. Avoid creating mapped tables yourself."

Bad:

    CREATE TABLE salesforce.account (id serial, sfid varchar(18), name text);
    SET search_path TO salesforce;
    CREATE TABLE audit_log (id bigserial, note text);   -- lands in salesforce

Good: let Connect create its tables; create yours in your own schema:

    CREATE TABLE public.audit_log (id bigserial, note text);
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node, Relation
from connect_gate.migrations.nodes import created_relation

CHECK = info(
    sys.modules[__name__],
    "table-created-in-connect-schema",
    "Table created in the Connect schema",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("CreateStmt", "CreateTableAsStmt", "SelectStmt"),
    doc_url="https://devcenter.heroku.com/articles/heroku-connect-database-tables",
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    rangevar = created_relation(ctx.kind, node)
    if rangevar is None or rangevar.get("relpersistence") == "t":  # temporary tables live elsewhere
        return
    relation = Relation(
        rangevar.get("schemaname") or ctx.creation_schema(), rangevar["relname"], rangevar.get("location")
    )
    if relation.schema != ctx.schema:
        return
    mapping = ctx.mapping(relation)
    if mapping is not None:
        yield Problem(
            f"Creates {relation}, the table Heroku Connect creates for {mapping.object_name}: Connect "
            "never replaces an existing table, so the mapping will fail to sync.",
            relation.location,
        )
    else:
        yield Problem(
            f"Creates {relation} in the schema Heroku Connect owns: it may collide with a mapping "
            "added later and is lost when the connection is recreated.",
            relation.location,
        )
