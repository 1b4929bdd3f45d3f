"""A migration creates an index on a mapped table: it is lost when the mapping is recreated.

Connect manages the indexes of its tables from the mapping's own `indexes` setting. An index
made in SQL is not part of the mapping: when the mapping is recreated or a configuration is
imported (e.g. into a review app), the table is rebuilt without it, and queries that relied on it
slow down without warning. This is a notice more than a danger, so its default status is YELLOW
(warn, never block): Status has no "notice" level, and GREEN would say nothing was found.

Heroku's "Managing Heroku Connect Mappings": "Indexes created via Connect are preserved when
importing your configuration into another connection, while indexes created via PostgreSQL are
not."

Bad:

    CREATE INDEX CONCURRENTLY account_industry ON salesforce.account (industry);

Good: mark the field as indexed in the mapping (Heroku Connect: "Index" on the field), export
the configuration and commit it, so every import recreates the index.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node

CHECK = info(
    sys.modules[__name__],
    "index-lost-on-reimport",
    "Index made in SQL on a mapped table",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=("IndexStmt",),
    doc_url="https://devcenter.heroku.com/articles/managing-heroku-connect-mappings",
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    relation = ctx.relation(node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is not None:
        yield Problem(
            f"Creates an index on {relation} ({mapping.object_name}) outside the mapping: Heroku Connect "
            "drops it when the mapping is recreated or its configuration imported; add the index to the "
            "mapping instead.",
            relation.location,
        )
