"""A migration takes a heavy lock on a mapped table, or rewrites it.

While a statement holds an ACCESS EXCLUSIVE lock on a mapped table (or a SHARE lock, for writes),
Heroku Connect cannot write the changes it reads from Salesforce into it, nor can the triggers
record changes to send: the sync of that object waits, and a long lock times its operations out.
`LOCK TABLE`, `VACUUM FULL`, `CLUSTER`, `REINDEX` without `CONCURRENTLY` and table rewrites
(`ALTER COLUMN ... TYPE` of a column of your own, `SET UNLOGGED`, a new column with a volatile
default such as `gen_random_uuid()`) lock the whole table for as long as they run. (A change of
type of a mapped column is reported by `mapped-column-changed`; `CREATE INDEX` without
`CONCURRENTLY` by `index-without-concurrently`.) Heroku's "Heroku Connect" article: "Heroku
Connect uses database triggers to record changes to be sent from the database to Salesforce."

Bad:

    VACUUM FULL salesforce.account;
    REINDEX TABLE salesforce.account;

Good: let autovacuum work, and rebuild indexes without blocking, outside a transaction block (the
file's own or its migration tool's: PostgreSQL refuses `REINDEX ... CONCURRENTLY` in one, and
`concurrent-index-in-transaction` says how each tool lets a file out):

    -- +goose NO TRANSACTION
    -- +goose Up
    REINDEX TABLE CONCURRENTLY salesforce.account;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node, Relation, quote
from connect_gate.migrations.nodes import alter_commands, column_constraints, reindexes_concurrently

CHECK = info(
    sys.modules[__name__],
    "lock-heavy-statement-on-mapped-table",
    "Heavy lock or rewrite of a mapped table",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=("LockStmt", "VacuumStmt", "ClusterStmt", "ReindexStmt", "AlterTableStmt"),
    doc_url="https://devcenter.heroku.com/articles/herokuconnect",
)
_VOLATILE = frozenset(
    {"random", "gen_random_uuid", "uuid_generate_v4", "uuid_generate_v1", "clock_timestamp"}
)
_WHY = "Heroku Connect cannot write to the table, and its sync of the object waits, until it ends."


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    for rangevar, what in _locked(ctx.kind, node):
        relation = ctx.relation(rangevar)
        mapping = ctx.mapping(relation)
        if mapping is None:
            continue
        if ctx.kind == "AlterTableStmt":
            yield from _rewrites(node, relation, mapping.columns)
        else:
            yield Problem(
                f"{what} {relation} ({mapping.object_name}) locks the whole table: {_WHY}", relation.location
            )


def _locked(kind: str, node: Node) -> Iterator[tuple[Node, str]]:
    if kind == "LockStmt":
        yield from (
            (item["RangeVar"], "LOCK TABLE") for item in node.get("relations", ()) if "RangeVar" in item
        )
    elif kind == "VacuumStmt" and any(
        option.get("DefElem", {}).get("defname") == "full" for option in node.get("options", ())
    ):
        for item in node.get("rels", ()):
            relation = item.get("VacuumRelation", {}).get("relation")
            if relation is not None:
                yield relation, "VACUUM FULL"
    elif kind == "ClusterStmt" and "relation" in node:
        yield node["relation"], "CLUSTER"
    elif kind == "ReindexStmt" and "relation" in node and node.get("kind") == "REINDEX_OBJECT_TABLE":
        if not reindexes_concurrently(node):
            yield node["relation"], "REINDEX without CONCURRENTLY of"
    elif kind == "AlterTableStmt":
        yield node["relation"], "ALTER TABLE"


def _rewrites(node: Node, relation: Relation, mapped: frozenset[str]) -> Iterator[Problem]:
    for command in alter_commands(node):
        subtype = command["subtype"]
        if subtype == "AT_AlterColumnType" and command.get("name") not in mapped:
            what = f"Changing the type of column {quote(command.get('name', ''))}"
        elif subtype == "AT_SetUnLogged":
            what = "SET UNLOGGED"
        elif subtype == "AT_AddColumn" and _volatile_default(command.get("def", {}).get("ColumnDef", {})):
            what = "A new column with a volatile default"
        else:
            continue
        yield Problem(f"{what} rewrites {relation} under an exclusive lock: {_WHY}", relation.location)


def _volatile_default(column: Node) -> bool:
    for constraint in column_constraints(column):
        call = (
            constraint.get("raw_expr", {}).get("FuncCall")
            if constraint["contype"] == "CONSTR_DEFAULT"
            else None
        )
        if call is not None:
            name = [part.get("String", {}).get("sval") for part in call.get("funcname", ())][-1:]
            if name and name[0] in _VOLATILE:
                return True
    return False
