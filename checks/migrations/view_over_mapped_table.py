"""A migration creates a view or a materialized view that reads a mapped table.

Heroku Connect changes a mapped table itself when its mapping changes: it alters column types,
drops columns of fields removed from the mapping, and drops the table when the mapping is deleted
or recreated. PostgreSQL refuses each of these while a view depends on the table or column
("cannot alter type of a column used by a view or rule", "cannot drop table ... because other
objects depend on it"; tests/test_migrations_views.py shows it on PostgreSQL 15), so the mapping
change fails. Materialized views count too.

Heroku's "Managing Heroku Connect Mappings": "Editing an existing mapping modifies the existing
database table using the ALTER TABLE SQL command."

Bad:

    CREATE VIEW public.account_names AS SELECT sfid, name FROM salesforce.account;

Good: read the mapped table directly in the application's queries, or copy what you need into a
table of your own from a job (no dependency on the mapped table):

    CREATE TABLE public.account_names (account_sfid varchar(18) PRIMARY KEY, name text);
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node, Relation
from connect_gate.migrations.nodes import read_relations

CHECK = info(
    sys.modules[__name__],
    "view-over-mapped-table",
    "View over a mapped table",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("ViewStmt", "CreateTableAsStmt"),
    doc_url="https://devcenter.heroku.com/articles/managing-heroku-connect-mappings",
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if ctx.kind == "CreateTableAsStmt" and node.get("objtype") != "OBJECT_MATVIEW":
        return
    what = "view" if ctx.kind == "ViewStmt" else "materialized view"
    view = _name(node, ctx)
    seen: set[str] = set()
    for rangevar in read_relations(node.get("query", {})):
        relation = ctx.relation(rangevar)
        mapping = ctx.mapping(relation)
        if mapping is None or str(relation) in seen:
            continue
        seen.add(str(relation))
        yield Problem(
            f"Creates {what} {view} over {relation} ({mapping.object_name}): while it exists, Heroku Connect "
            "cannot change the table's column types, drop its columns or drop it when the mapping changes.",
            relation.location,
        )


def _name(node: Node, ctx: Context) -> Relation:
    rangevar = node["view"] if "view" in node else node["into"]["rel"]
    return Relation(rangevar.get("schemaname") or ctx.creation_schema(), rangevar["relname"])
