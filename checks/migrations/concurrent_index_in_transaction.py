"""A migration builds, drops or rebuilds an index of a mapped table CONCURRENTLY inside a transaction block.

PostgreSQL refuses `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY` and `REINDEX ...
CONCURRENTLY` inside a transaction block ("cannot run inside a transaction block",
https://www.postgresql.org/docs/15/sql-createindex.html,
https://www.postgresql.org/docs/15/sql-dropindex.html,
https://www.postgresql.org/docs/15/sql-reindex.html): the statement fails, the rest of the
transaction is rolled back, and the migration fails at deploy (or a tool that runs it differently
runs it without CONCURRENTLY, locking the table against Connect's writes while it runs: see
`index-without-concurrently` and `lock-heavy-statement-on-mapped-table`, whose advice is `REINDEX
... CONCURRENTLY`). The block may be the file's own: the gate follows its `BEGIN` / `START
TRANSACTION` and `COMMIT` / `END` / `ROLLBACK` / `ABORT`. Or the migration tool opens it, which the
gate tells from the file's annotations and name, as each tool's own source says (the gate cannot see
the tool's settings, so each message says what to check):

- goose (a `-- +goose Up` file) runs the file in a transaction: add `-- +goose NO TRANSACTION`
  (https://github.com/pressly/goose/blob/main/internal/sqlparser/parser.go).
- dbmate (`-- migrate:up`) runs each up block in a transaction: write `-- migrate:up
  transaction:false`. It sends the block as one query string, and PostgreSQL runs a string of
  several statements as one transaction
  (https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT), so the
  statement must also be alone in its block
  (https://github.com/amacneil/dbmate/blob/main/pkg/dbmate/migration.go).
- golang-migrate (`*.up.sql`): its postgres driver sends the file as one query string, so a file
  of several statements fails unless the database URL says `x-multi-statement=true`
  (https://github.com/golang-migrate/migrate/blob/master/database/postgres/postgres.go).
- Flyway (`V*__*.sql`) runs a migration made only of `CREATE`/`DROP INDEX CONCURRENTLY` (and a few
  others) outside a transaction by itself, and refuses one that mixes them with others unless
  `mixed` is set; it does not know `REINDEX TABLE|INDEX ... CONCURRENTLY` and runs it in the
  migration's transaction. A `V*__*.sql.conf` beside it with `executeInTransaction=false` takes
  the file out of the transaction, `=true` puts it back in
  (https://github.com/flyway/flyway/blob/main/flyway-database/flyway-database-postgresql/src/main/java/org/flywaydb/database/postgresql/PostgreSQLParser.java).
- Prisma (`migrations/*/migration.sql`) has no switch; its schema engine sent the file as one
  query string until it split scripts into statements
  (https://github.com/prisma/prisma-engines/pull/5767, February 2026): a file of several
  statements is reported, with the version to check.

Any other file is run by psql one statement at a time: only its own `BEGIN` counts.

Which index a `DROP INDEX` or `REINDEX INDEX` names cannot always be known from the files: the
gate traces it to its table when it is Heroku Connect's own (`hc_idx_<table>_...`,
`hcu_idx_<table>_...` in the Connect schema) or was created, by name, on a mapped table earlier in
the same file; an index created by another file, or named by PostgreSQL, is not traced.

PostgreSQL 15 refuses more statements in a transaction block (those whose code calls
`PreventInTransactionBlock`: `VACUUM`, `CLUSTER` without a table, `REINDEX SCHEMA|DATABASE|SYSTEM`,
`DISCARD ALL`, `CREATE SUBSCRIPTION` with a slot, `CREATE DATABASE`...; `ALTER TYPE ... ADD VALUE`
only before PostgreSQL 12). This rule checks the ones that work on a mapped table's indexes while
Connect writes to it.

Bad: goose runs this file in a transaction.

    -- +goose Up
    CREATE INDEX CONCURRENTLY account_industry ON salesforce.account (industry);
    REINDEX INDEX CONCURRENTLY salesforce.hcu_idx_account_sfid;

Good: the file opts out of the tool's transaction, and says how the index comes back when the
mapping is re-imported:

    -- +goose NO TRANSACTION
    -- +goose Up
    -- connect-gate: ignore index-lost-on-reimport because db/indexes.sql rebuilds it after imports
    CREATE INDEX CONCURRENTLY account_industry ON salesforce.account (industry);
    REINDEX INDEX CONCURRENTLY salesforce.hcu_idx_account_sfid;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.connect import INDEX_PREFIXES
from connect_gate.migrations.context import Context, Node, Relation, dotted
from connect_gate.migrations.nodes import drop_targets, reindexes_concurrently

CHECK = info(
    sys.modules[__name__],
    "concurrent-index-in-transaction",
    "CREATE/DROP INDEX or REINDEX CONCURRENTLY on a mapped table inside a transaction (the file's or its "
    "tool's)",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=("IndexStmt", "DropStmt", "ReindexStmt"),
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    for does, location in _concurrent(node, ctx):
        if ctx.file.in_transaction:
            yield Problem(
                f"{does} after this file's BEGIN: PostgreSQL refuses it inside a transaction block, so the "
                "migration fails (or, run another way, without CONCURRENTLY, it takes a lock that stalls "
                "the Heroku Connect sync).",
                location,
            )
        elif ctx.file.tool is not None and (why := ctx.file.tool.transaction(*ctx.span)):
            yield Problem(f"{does}, but {why}", location)


def _concurrent(node: Node, ctx: Context) -> Iterator[tuple[str, int | None]]:
    """What the statement does CONCURRENTLY to a mapped table's indexes, and where it names them."""
    if ctx.kind == "IndexStmt" and node.get("concurrent"):
        relation = ctx.relation(node["relation"])
        if (mapping := ctx.mapping(relation)) is not None:
            yield f"Builds an index on {relation} ({mapping.object_name}) CONCURRENTLY", relation.location
    elif ctx.kind == "DropStmt" and node.get("removeType") == "OBJECT_INDEX" and node.get("concurrent"):
        for parts in drop_targets(node):
            if (table := _indexed(parts, ctx)) is not None:
                yield f"Drops index {dotted(parts)} {table} CONCURRENTLY", None
    elif ctx.kind == "ReindexStmt" and "relation" in node and reindexes_concurrently(node):
        rangevar = node["relation"]
        if node.get("kind") == "REINDEX_OBJECT_TABLE":
            relation = ctx.relation(rangevar)
            if (mapping := ctx.mapping(relation)) is not None:
                yield (
                    f"Rebuilds the indexes of {relation} ({mapping.object_name}) CONCURRENTLY",
                    relation.location,
                )
        elif node.get("kind") == "REINDEX_OBJECT_INDEX":
            parts = [*filter(None, (rangevar.get("schemaname"), rangevar["relname"]))]
            if (table := _indexed(parts, ctx)) is not None:
                yield f"Rebuilds index {dotted(parts)} {table} CONCURRENTLY", rangevar.get("location")


def _indexed(parts: list[str], ctx: Context) -> str | None:
    """`of <table> (<object>)` for an index of a mapped table the gate can trace, else None."""
    name = parts[-1]
    for schema in parts[-2:-1] if len(parts) >= 2 else ctx.search_path:
        table = ctx.file.indexes.get((schema, name))
        if table is None and schema == ctx.schema and name.startswith(INDEX_PREFIXES):
            rest = name.split("_idx_", 1)[1]
            named = [t for t in ctx.connect.tables if rest == t or rest.startswith(f"{t}_")]
            table = (schema, max(named, key=len)) if named else None
        if table is not None:
            relation = Relation(*table)
            mapping = ctx.mapping(relation)
            return f"of {relation} ({mapping.object_name})" if mapping is not None else None
    return None
