"""A migration adds a NOT NULL, CHECK, exclusion or foreign-key constraint on a mapped table.

Salesforce does not know about constraints in Postgres. When a row coming from Salesforce
violates one (an empty field, a value out of range, a parent not synced yet), Connect's write
fails and that record stops syncing; a reload of the table can fail as a whole. Unique
constraints are tolerated on read-write mappings and are not reported.

Bad:

    ALTER TABLE salesforce.account ALTER COLUMN industry SET NOT NULL;
    ALTER TABLE salesforce.account ADD CONSTRAINT positive CHECK (numberofemployees >= 0);

Good: enforce the rule in Salesforce (a required field, a validation rule), or check it where the
application reads the data:

    CREATE VIEW public.valid_accounts AS
        SELECT * FROM salesforce.account WHERE industry IS NOT NULL;
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
    "constraint-added-to-mapped-table",
    "Constraint added on a mapped table",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("AlterTableStmt",),
)

_KINDS = {
    "CONSTR_NOTNULL": "a NOT NULL constraint",
    "CONSTR_CHECK": "a CHECK constraint",
    "CONSTR_EXCLUSION": "an exclusion constraint",
    "CONSTR_FOREIGN": "a foreign key",
}


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    relation = ctx.relation(node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is None:
        return
    why = (
        f"rows Heroku Connect writes from Salesforce ({mapping.object_name}) that violate it will fail "
        "to sync."
    )
    for command in alter_commands(node):
        subtype = command["subtype"]
        definition = command.get("def", {})
        if subtype == "AT_SetNotNull":
            yield Problem(
                f"Adds a NOT NULL constraint on {relation} column {quote(command['name'])}: {why}",
                relation.location,
            )
        elif subtype == "AT_AddConstraint" and "Constraint" in definition:
            yield from _hit(definition["Constraint"], f"on {relation}", why)
        elif subtype == "AT_AddColumn" and "ColumnDef" in definition:
            column = definition["ColumnDef"]
            for constraint in column_constraints(column):
                yield from _hit(constraint, f"on new column {quote(column['colname'])} of {relation}", why)


def _hit(constraint: Node, where: str, why: str) -> Iterator[Problem]:
    kind = _KINDS.get(constraint["contype"])
    if kind is not None:
        yield Problem(f"Adds {kind} {where}: {why}", constraint.get("location"))
