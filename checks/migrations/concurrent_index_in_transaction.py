"""A migration builds an index on a mapped table CONCURRENTLY inside a transaction block.

PostgreSQL refuses `CREATE INDEX CONCURRENTLY` inside a transaction block ("cannot run inside a
transaction block"): after an explicit `BEGIN` or `START TRANSACTION` in the same file, the
statement fails, the rest of the transaction is rolled back, and the migration fails at deploy
(or a tool that runs it differently builds it without CONCURRENTLY, locking the table against
Connect's writes while it builds: see `index-without-concurrently`). The gate follows the file's
own `BEGIN` / `START TRANSACTION` and `COMMIT` / `END` / `ROLLBACK` / `ABORT`; a transaction that
the migration tool opens around the whole file is not visible in it.

Bad:

    BEGIN;
    CREATE INDEX CONCURRENTLY account_industry ON salesforce.account (industry);
    COMMIT;

Good: build it outside the transaction block (most migration tools have a switch to run one
migration without a transaction), and say how it comes back when the mapping is re-imported:

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
    "CREATE INDEX CONCURRENTLY on a mapped table inside a transaction",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=("IndexStmt",),
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if not (node.get("concurrent") and ctx.file.in_transaction):
        return
    relation = ctx.relation(node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is not None:
        yield Problem(
            f"Builds an index on {relation} ({mapping.object_name}) CONCURRENTLY after this file's BEGIN: "
            "PostgreSQL refuses it inside a transaction block, so the migration fails (or, run another "
            "way, the index is built with a lock that stalls the Heroku Connect sync).",
            relation.location,
        )
