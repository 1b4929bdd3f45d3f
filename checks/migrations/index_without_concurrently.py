"""A migration builds an index on a mapped table without CONCURRENTLY.

A plain CREATE INDEX locks the table against writes while it builds. On a large synced table
that can take minutes, during which Connect cannot write the changes it polls from Salesforce:
the sync stalls and its queue grows.

Bad:

    CREATE INDEX account_industry ON salesforce.account (industry);

Good: mark the field as indexed in the mapping (Heroku Connect builds the index). An index the
mapping cannot declare is built CONCURRENTLY, outside a transaction block: the file's own or the
one its migration tool opens (`concurrent-index-in-transaction` says how each tool lets a file
out), with a waiver saying how it comes back when the mapping is re-imported
(`index-lost-on-reimport`):

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
    "index-without-concurrently",
    "Index on a mapped table without CONCURRENTLY",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=("IndexStmt",),
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    relation = ctx.relation(node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is not None and not node.get("concurrent"):
        yield Problem(
            f"Builds an index on {relation} ({mapping.object_name}) without CONCURRENTLY: the table is "
            "locked against writes while it builds and the Heroku Connect sync stalls.",
            relation.location,
        )
