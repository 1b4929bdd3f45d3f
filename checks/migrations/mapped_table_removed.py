"""A migration drops, renames or moves a table Heroku Connect syncs.

Connect finds a mapped table by its name in the Connect schema. Once the table is dropped,
renamed or moved to another schema, the mapping no longer matches the database: the sync stops
and the mapping shows "Database Field Changes" until it is recreated, which reloads every row.

Bad:

    ALTER TABLE salesforce.account RENAME TO customer;
    DROP TABLE salesforce.contact;

Good: leave the mapped table alone, and name it as the application needs in the application's
queries (an ORM model's table name), not in a view, which would block Connect's own changes to the
table (`view-over-mapped-table`):

    SELECT sfid, name FROM salesforce.account;

To stop syncing an object, delete its mapping in Heroku Connect first, then drop the table.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node, Relation, quote
from connect_gate.migrations.nodes import drop_targets

CHECK = info(
    sys.modules[__name__],
    "mapped-table-removed",
    "Mapped table dropped, renamed or moved",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("DropStmt", "RenameStmt", "AlterObjectSchemaStmt"),
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if ctx.kind == "DropStmt" and node.get("removeType") == "OBJECT_TABLE":
        for parts in drop_targets(node):
            yield from _hit(ctx, ctx.qualified(parts), "Drops", "")
    elif ctx.kind == "RenameStmt" and node.get("renameType") == "OBJECT_TABLE":
        yield from _hit(ctx, ctx.relation(node["relation"]), "Renames", f" to {quote(node['newname'])}")
    elif ctx.kind == "AlterObjectSchemaStmt" and node.get("objectType") == "OBJECT_TABLE":
        yield from _hit(
            ctx, ctx.relation(node["relation"]), "Moves", f" to schema {quote(node['newschema'])}"
        )


def _hit(ctx: Context, relation: Relation, verb: str, change: str) -> Iterator[Problem]:
    mapping = ctx.mapping(relation)
    if mapping is not None:
        yield Problem(
            f"{verb} {relation}{change}, the table Heroku Connect syncs {mapping.object_name} into: "
            "the mapping stops matching the database and the sync stops.",
            relation.location,
        )
