"""A migration builds an index on a mapped table CONCURRENTLY inside a transaction block.

PostgreSQL refuses `CREATE INDEX CONCURRENTLY` inside a transaction block ("cannot run inside a
transaction block", https://www.postgresql.org/docs/15/sql-createindex.html): the statement fails,
the rest of the transaction is rolled back, and the migration fails at deploy (or a tool that runs
it differently builds it without CONCURRENTLY, locking the table against Connect's writes while it
builds: see `index-without-concurrently`). The block may be the file's own: the gate follows its
`BEGIN` / `START TRANSACTION` and `COMMIT` / `END` / `ROLLBACK` / `ABORT`. Or the migration tool
opens it, which the gate tells from the file's annotations and name, as each tool's own source
says (the gate cannot see the tool's settings, so each message says what to check):

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
- Flyway (`V*__*.sql`) runs a migration made only of statements like this one outside a
  transaction by itself, and refuses one that mixes them with others unless `mixed` is set; a
  `V*__*.sql.conf` beside it with `executeInTransaction=true` puts it back in a transaction
  (https://github.com/flyway/flyway/blob/main/flyway-database/flyway-database-postgresql/src/main/java/org/flywaydb/database/postgresql/PostgreSQLParser.java).
- Prisma (`migrations/*/migration.sql`) has no switch; its schema engine sent the file as one
  query string until it split scripts into statements
  (https://github.com/prisma/prisma-engines/pull/5767, February 2026): a file of several
  statements is reported, with the version to check.

Any other file is run by psql one statement at a time: only its own `BEGIN` counts.

PostgreSQL 15 refuses more statements in a transaction block (those whose code calls
`PreventInTransactionBlock`: `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`, `VACUUM`,
`CLUSTER` without a table, `DISCARD ALL`, `CREATE SUBSCRIPTION` with a slot, `CREATE DATABASE`...;
`ALTER TYPE ... ADD VALUE` only before PostgreSQL 12). This rule checks the one that builds on a
mapped table while Connect writes to it, `CREATE INDEX CONCURRENTLY`.

Bad: goose runs this file in a transaction.

    -- +goose Up
    CREATE INDEX CONCURRENTLY account_industry ON salesforce.account (industry);

Good: the file opts out of the tool's transaction, and says how the index comes back when the
mapping is re-imported:

    -- +goose NO TRANSACTION
    -- +goose Up
    -- connect-gate: ignore index-lost-on-reimport because db/indexes.sql rebuilds it after imports
    CREATE INDEX CONCURRENTLY account_industry ON salesforce.account (industry);
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node

CHECK = info(
    sys.modules[__name__],
    "concurrent-index-in-transaction",
    "CREATE INDEX CONCURRENTLY on a mapped table inside a transaction (the file's or its tool's)",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=("IndexStmt",),
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if not node.get("concurrent"):
        return
    relation = ctx.relation(node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is None:
        return
    builds = f"Builds an index on {relation} ({mapping.object_name}) CONCURRENTLY"
    if ctx.file.in_transaction:
        yield Problem(
            f"{builds} after this file's BEGIN: PostgreSQL refuses it inside a transaction block, so the "
            "migration fails (or, run another way, the index is built with a lock that stalls the Heroku "
            "Connect sync).",
            relation.location,
        )
    elif ctx.file.tool is not None and (why := ctx.file.tool.transaction(*ctx.span)):
        yield Problem(f"{builds}, but {why}", relation.location)
