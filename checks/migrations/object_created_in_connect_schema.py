"""A migration creates a view, a materialized view or a function in the Heroku Connect schema.

The Connect schema belongs to Connect, which creates its tables and functions there. An object of
yours in it can collide with one Connect creates later, and is lost when the connection is
recreated. (A table there is reported by `table-created-in-connect-schema`; a function with
Connect's own name by `connect-internals-touched`.)

Heroku's "Heroku Connect Database Tables": "When you map objects, Heroku Connect creates or updates
the database tables used to store data for the mapped object."

Bad:

    CREATE FUNCTION salesforce.full_name(first text, last text) RETURNS text
        LANGUAGE sql AS $$ SELECT first || ' ' || last $$;

Good: create your objects in a schema of your own:

    CREATE FUNCTION public.full_name(first text, last text) RETURNS text
        LANGUAGE sql AS $$ SELECT first || ' ' || last $$;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node, quote
from connect_gate.migrations.context import names as string_names

CHECK = info(
    sys.modules[__name__],
    "object-created-in-connect-schema",
    "View or function created in the Connect schema",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=("ViewStmt", "CreateTableAsStmt", "CreateFunctionStmt"),
    doc_url="https://devcenter.heroku.com/articles/heroku-connect-database-tables",
)
_WHAT = {"ViewStmt": "view", "CreateTableAsStmt": "materialized view", "CreateFunctionStmt": "function"}


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if ctx.kind == "CreateTableAsStmt" and node.get("objtype") != "OBJECT_MATVIEW":
        return
    if ctx.kind == "CreateFunctionStmt":
        parts = string_names(node["funcname"])
        schema, name = (parts[-2], parts[-1]) if len(parts) >= 2 else (ctx.creation_schema(), parts[-1])
        if ctx.connect.is_function(schema, name):
            return  # Connect's own: connect-internals-touched reports it
        location = None
    else:
        rangevar = node["view"] if "view" in node else node["into"]["rel"]
        schema, name = rangevar.get("schemaname") or ctx.creation_schema(), rangevar["relname"]
        location = rangevar.get("location")
    if schema == ctx.schema:
        yield Problem(
            f"Creates {_WHAT[ctx.kind]} {quote(schema)}.{quote(name)} in the schema Heroku Connect owns: it "
            "may collide with what Connect creates there and is lost when the connection is recreated.",
            location,
        )
