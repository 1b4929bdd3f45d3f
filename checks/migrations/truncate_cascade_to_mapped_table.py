"""A migration truncates a table WITH CASCADE, which may empty a mapped table too.

`TRUNCATE ... CASCADE` also truncates every table that has a foreign key to a table it names
(and, in turn, the tables with a foreign key to those). If a mapped table is among them, its rows
disappear without Connect capturing it (TRUNCATE fires no row trigger), and Postgres no longer
matches Salesforce until the mapping is reloaded. Which tables have such foreign keys is known to
the database, not to the migration: the gate reports a cascade RED when a migration it analysed
before (this file, or an earlier file of the same run) gave a mapped table a foreign key to the
truncated table, naming the mapped table it empties, and YELLOW otherwise, saying it cannot
check the cascade statically (the key may come from a migration not analysed in this run, or
through another table). (A TRUNCATE that
names a mapped table itself is reported by `truncate-mapped-table`; without CASCADE, PostgreSQL
refuses to truncate a table that others reference, so nothing else is emptied.)

Heroku's "Heroku Connect" article: "Heroku Connect uses database triggers to record changes to be
sent from the database to Salesforce" (TRUNCATE fires no row trigger in PostgreSQL).

Bad:

    TRUNCATE public.staging_account CASCADE;

Good: truncate without CASCADE (PostgreSQL then refuses if another table references it), or name
every table to empty:

    TRUNCATE public.staging_account, public.staging_contact;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node, Relation

CHECK = info(
    sys.modules[__name__],
    "truncate-cascade-to-mapped-table",
    "TRUNCATE CASCADE reaching a mapped table",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("TruncateStmt",),
    doc_url="https://devcenter.heroku.com/articles/herokuconnect",
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if node.get("behavior") != "DROP_CASCADE":
        return
    for rangevar in node.get("relations", ()):
        relation = ctx.relation(rangevar["RangeVar"])
        if ctx.mapping(relation) is not None:
            continue  # reported by truncate-mapped-table
        reached = ctx.file.referenced_by.reaching((relation.schema, relation.name))
        if reached:
            tables = ", ".join(str(Relation(schema, name)) for schema, name in reached)
            yield Problem(
                f"Truncates {relation} WITH CASCADE, which also empties {tables}: an earlier migration "
                f"statement gave it a foreign key to {relation}. Heroku Connect does not capture "
                "TRUNCATE, so the rows stay in Salesforce and the table no longer matches it.",
                relation.location,
            )
        else:
            yield Problem(
                f"Truncates {relation} WITH CASCADE, which also empties every table with a foreign key "
                "to it: the gate cannot tell statically whether a mapped table is one of them. If one is, "
                "Heroku Connect does not capture it and Postgres no longer matches Salesforce.",
                relation.location,
                status=Status.YELLOW,
            )
