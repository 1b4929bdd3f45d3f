"""A migration truncates a mapped table.

TRUNCATE fires no row triggers, so Connect never sees it: the rows disappear from Postgres but
stay in Salesforce, and the two disagree until the table is reloaded.

Heroku's "Heroku Connect" article: "Heroku Connect uses database triggers to record changes to be
sent from the database to Salesforce" (TRUNCATE fires no row trigger in PostgreSQL).

Bad:

    TRUNCATE salesforce.contact;

Good: delete the records in Salesforce (they then disappear from the table), or reload the
mapping from the Heroku Connect dashboard if the table is out of step.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node

CHECK = info(
    sys.modules[__name__],
    "truncate-mapped-table",
    "Mapped table truncated",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("TruncateStmt",),
    doc_url="https://devcenter.heroku.com/articles/herokuconnect",
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    for rangevar in node.get("relations", ()):
        relation = ctx.relation(rangevar["RangeVar"])
        mapping = ctx.mapping(relation)
        if mapping is not None:
            yield Problem(
                f"Truncates {relation} ({mapping.object_name}): Heroku Connect does not capture TRUNCATE, "
                "so the rows stay in Salesforce and the table no longer matches it.",
                relation.location,
            )
