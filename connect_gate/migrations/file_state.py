"""What the earlier statements of a file tell the rules about a later one.

psql sends a file's statements one by one on one session: after `BEGIN` / `START TRANSACTION`,
they run in one transaction block until `COMMIT` / `END` / `ROLLBACK` / `ABORT` / `PREPARE
TRANSACTION` (`COMMIT AND CHAIN` opens the next one at once); that state is the file's own. A
migration tool may open one around the file, or around several statements (tools.py). A named
index created on a mapped table lets a later `DROP INDEX` / `REINDEX INDEX` of the same file be
traced to its table. A foreign key added to a mapped table makes that table part of what `TRUNCATE
... CASCADE` of the referenced table empties; those are shared by the files of one run, in the order
they are analysed. The engine follows each statement after the rules have seen it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from connect_gate.migrations.nodes import Node, added_constraints
from connect_gate.migrations.tools import ToolFile

if TYPE_CHECKING:  # the context holds this state
    from connect_gate.migrations.context import Context

_OPENS = frozenset({"TRANS_STMT_BEGIN", "TRANS_STMT_START"})
_CLOSES = frozenset({"TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"})


Table = tuple[str, str]  # (schema, name)


class ForeignKeys:
    """The mapped tables given a foreign key to each table, by this file or an earlier one.

    `asked` tells whether a rule looked: the engine analyses the second half of a run's files in a
    separate process without the first half's keys, and keeps that analysis only if no rule asked
    or the first half added none.
    """

    __slots__ = ("_to", "asked")

    def __init__(self) -> None:
        self._to: dict[Table, set[Table]] = {}
        self.asked = False

    def __bool__(self) -> bool:
        return bool(self._to)

    def add(self, target: Table, table: Table) -> None:
        self._to.setdefault(target, set()).add(table)

    def reaching(self, target: Table) -> list[Table]:
        """The mapped tables with a foreign key to `target`, sorted."""
        self.asked = True
        return sorted(self._to.get(target, ()))


@dataclass(slots=True)
class FileState:
    in_transaction: bool = False  # after an explicit BEGIN / START TRANSACTION of this file
    referenced_by: ForeignKeys = field(default_factory=ForeignKeys)  # shared by the run's files
    tool: ToolFile | None = None  # the file as its migration tool runs it (None: psql runs it)
    indexes: dict[Table, Table] = field(default_factory=dict)  # (schema, index) → the mapped table

    def follow(self, node: Node, ctx: Context) -> None:
        """Update the state with the statement `node` (of type `ctx.kind`) that just ran."""
        if ctx.kind == "TransactionStmt":
            kind = node.get("kind")
            if kind in _OPENS:
                self.in_transaction = True
            elif kind in _CLOSES:
                self.in_transaction = bool(node.get("chain"))
        elif ctx.kind in ("CreateStmt", "AlterTableStmt"):
            self._foreign_keys(node, ctx)
        elif ctx.kind == "IndexStmt" and node.get("idxname"):
            table = ctx.relation(node["relation"])  # PostgreSQL puts an index in its table's schema
            if ctx.mapping(table) is not None:
                self.indexes[(table.schema, node["idxname"])] = (table.schema, table.name)

    def _foreign_keys(self, node: Node, ctx: Context) -> None:
        table = ctx.relation(node["relation"])
        if ctx.mapping(table) is None:
            return
        for constraint in added_constraints(ctx.kind, node):
            if constraint["contype"] == "CONSTR_FOREIGN" and "pktable" in constraint:
                target = ctx.relation(constraint["pktable"])
                self.referenced_by.add((target.schema, target.name), (table.schema, table.name))
