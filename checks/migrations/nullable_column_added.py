"""A migration adds a column of its own to a mapped table.

Connect owns the columns of a mapped table: it creates one per mapped field and drops and
recreates the table when the mapping is recreated or reloaded from scratch, so a column added in
SQL (and its data) can vanish. Adding the same field to the mapping later collides with it. A
nullable column (or a NOT NULL one with a default) is tolerated by the sync itself, hence a
warning; a NOT NULL one without a default is reported by `constraint-added-to-mapped-table`.

Bad:

    ALTER TABLE salesforce.account ADD COLUMN churn_score numeric;

Good: add the field in Salesforce and map it, or keep the value in a table of your own keyed by
`sfid`:

    CREATE TABLE public.account_score (account_sfid varchar(18) PRIMARY KEY, churn_score numeric);
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node, quote
from connect_gate.migrations.nodes import alter_commands, column_constraints

CHECK = info(
    sys.modules[__name__],
    "nullable-column-added",
    "Column added to a mapped table",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=("AlterTableStmt",),
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    relation = ctx.relation(node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is None:
        return
    for command in alter_commands(node):
        column = command.get("def", {}).get("ColumnDef")
        if command["subtype"] != "AT_AddColumn" or column is None:
            continue
        kinds = {constraint["contype"] for constraint in column_constraints(column)}
        if "CONSTR_NOTNULL" in kinds and "CONSTR_DEFAULT" not in kinds:
            continue  # constraint-added-to-mapped-table reports it: Connect's inserts would fail
        yield Problem(
            f"Adds column {quote(column['colname'])} to {relation} ({mapping.object_name}): Heroku Connect "
            "does not sync it and drops it, with its data, when the mapping is recreated.",
            column.get("location"),
        )
