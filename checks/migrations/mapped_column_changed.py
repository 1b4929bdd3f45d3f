"""A migration drops, renames or retypes a column of a mapped table.

Connect writes every mapped Salesforce field into the column of the same (lowercased) name, with
the type it chose, and relies on its system columns (`id`, `sfid`, `systemmodstamp`, `isdeleted`,
`_hc_lastop`, `_hc_err`). Drop, rename or retype one and the mapping reports "Database Field
Changes": the sync of that object stops until the mapping is recreated.

Heroku's "Heroku Connect Database Tables": "Column names use a lowercase version of the Salesforce
field name" and "Editing an existing mapping modifies the existing database table using ALTER
TABLE SQL commands."

Bad:

    ALTER TABLE salesforce.account RENAME COLUMN name TO account_name;
    ALTER TABLE salesforce.account ALTER COLUMN industry TYPE integer USING 0;

Good: change the field in the mapping (Heroku Connect), or rename it where the application reads
it (not in a view: a view over a mapped table makes Connect's own ALTER TABLE fail, see
`view-over-mapped-table`):

    SELECT sfid, name AS account_name FROM salesforce.account;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.mapping_config import Mapping
from connect_gate.migrations.connect import SYSTEM_COLUMNS
from connect_gate.migrations.context import Context, Node, Relation, quote
from connect_gate.migrations.nodes import alter_commands

CHECK = info(
    sys.modules[__name__],
    "mapped-column-changed",
    "Mapped column dropped, renamed or retyped",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("AlterTableStmt", "RenameStmt"),
    doc_url="https://devcenter.heroku.com/articles/heroku-connect-database-tables",
)

_ACTIONS = {"AT_DropColumn": ("Drops", ""), "AT_AlterColumnType": ("Changes the type of", "")}


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if "relation" not in node:  # ALTER SCHEMA ... RENAME
        return
    relation = ctx.relation(node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is None:
        return
    if ctx.kind == "RenameStmt":
        if node.get("renameType") == "OBJECT_COLUMN":
            yield from _hit(relation, mapping, node["subname"], ("Renames", f" to {quote(node['newname'])}"))
        return
    for command in alter_commands(node):
        action = _ACTIONS.get(command["subtype"])
        if action is not None:
            yield from _hit(relation, mapping, command["name"], action)


def _hit(relation: Relation, mapping: Mapping, column: str, action: tuple[str, str]) -> Iterator[Problem]:
    if column in mapping.columns or column in SYSTEM_COLUMNS:
        kind = "mapped" if column in mapping.columns else "Connect's system"
        yield Problem(
            f"{action[0]} {kind} column {quote(column)} of {relation}{action[1]} ({mapping.object_name}): "
            "the mapping no longer matches the table and Heroku Connect stops syncing it.",
            relation.location,
        )
