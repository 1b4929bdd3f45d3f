"""A migration drops or renames the schema Heroku Connect syncs into.

Every mapped table, and Connect's own tables, triggers and functions, live in the Connect schema
(`salesforce` unless the connection says otherwise). Dropping or renaming it takes the whole
connection down; the only fix is to recreate the connection and reload every object.

Bad:

    DROP SCHEMA salesforce CASCADE;
    ALTER SCHEMA salesforce RENAME TO crm;

Good: keep the schema; put the application's own tables in another schema:

    CREATE SCHEMA crm;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node, quote
from connect_gate.migrations.nodes import drop_targets

CHECK = info(
    sys.modules[__name__],
    "connect-schema-removed",
    "Connect schema dropped or renamed",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("DropStmt", "RenameStmt"),
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if ctx.kind == "DropStmt" and node.get("removeType") == "OBJECT_SCHEMA":
        if any(parts[-1] == ctx.schema for parts in drop_targets(node)):
            yield Problem(_message("Drops", ctx))
    elif (
        ctx.kind == "RenameStmt"
        and node.get("renameType") == "OBJECT_SCHEMA"
        and node.get("subname") == ctx.schema
    ):
        yield Problem(_message(f"Renames (to {quote(node['newname'])})", ctx))


def _message(action: str, ctx: Context) -> str:
    return (
        f"{action} the schema {quote(ctx.schema)} that Heroku Connect syncs into: every mapping and "
        "Connect's own tables go with it, and the connection goes down."
    )
