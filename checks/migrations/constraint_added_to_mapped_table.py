"""A migration adds a NOT NULL, CHECK, exclusion, foreign-key or (on a read-only mapping) unique constraint.

Salesforce does not know about constraints in Postgres. When a row coming from Salesforce
violates one (an empty field, a value out of range, a parent not synced yet), Connect's write
fails and that record stops syncing; a reload of the table can fail as a whole. A new column
`NOT NULL` with a default is not reported here (Connect's inserts get the default; the column
itself is reported by `nullable-column-added`). Unique constraints and unique indexes are reported
on read-only mappings, where Connect copies every Salesforce record as it is, duplicates included;
on read-write mappings they are tolerated.

Bad:

    ALTER TABLE salesforce.account ALTER COLUMN industry SET NOT NULL;
    ALTER TABLE salesforce.account ADD CONSTRAINT positive CHECK (numberofemployees >= 0);
    CREATE UNIQUE INDEX contact_email ON salesforce.contact (email);

Good: enforce the rule in Salesforce (a required field, a validation rule, a unique field), or
check it where the application reads the data:

    SELECT * FROM salesforce.account WHERE industry IS NOT NULL;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.mapping_config import Access
from connect_gate.migrations.context import Context, Node, quote
from connect_gate.migrations.nodes import alter_commands, column_constraints

CHECK = info(
    sys.modules[__name__],
    "constraint-added-to-mapped-table",
    "Constraint added on a mapped table",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("AlterTableStmt", "IndexStmt"),
)

_KINDS = {
    "CONSTR_NOTNULL": "a NOT NULL constraint",
    "CONSTR_CHECK": "a CHECK constraint",
    "CONSTR_EXCLUSION": "an exclusion constraint",
    "CONSTR_FOREIGN": "a foreign key",
}
_UNIQUE = {"CONSTR_UNIQUE": "a unique constraint", "CONSTR_PRIMARY": "a primary key"}  # read-only mappings


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    relation = ctx.relation(node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is None:
        return
    why = (
        f"rows Heroku Connect writes from Salesforce ({mapping.object_name}) that violate it will fail "
        "to sync."
    )
    read_only = mapping.access is Access.READ_ONLY
    if ctx.kind == "IndexStmt":
        if node.get("unique") and read_only:
            yield Problem(f"Adds a unique index on {relation}, a read-only mapping: {why}", relation.location)
        return
    for command in alter_commands(node):
        subtype = command["subtype"]
        definition = command.get("def", {})
        if subtype == "AT_SetNotNull":
            yield Problem(
                f"Adds a NOT NULL constraint on {relation} column {quote(command['name'])}: {why}",
                relation.location,
            )
        elif subtype == "AT_AddConstraint" and "Constraint" in definition:
            yield from _hit(definition["Constraint"], f"on {relation}", why, read_only)
        elif subtype == "AT_AddColumn" and "ColumnDef" in definition:
            column = definition["ColumnDef"]
            constraints = list(column_constraints(column))
            defaulted = any(constraint["contype"] == "CONSTR_DEFAULT" for constraint in constraints)
            for constraint in constraints:
                if not (defaulted and constraint["contype"] == "CONSTR_NOTNULL"):
                    where = f"on new column {quote(column['colname'])} of {relation}"
                    yield from _hit(constraint, where, why, read_only)


def _hit(constraint: Node, where: str, why: str, read_only: bool) -> Iterator[Problem]:
    kind = _KINDS.get(constraint["contype"]) or (_UNIQUE.get(constraint["contype"]) if read_only else None)
    if kind is not None:
        yield Problem(f"Adds {kind} {where}: {why}", constraint.get("location"))
