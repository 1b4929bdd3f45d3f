"""A DO block or a function body mentions Connect's tables, and connect-gate cannot see inside it.

PL/pgSQL and function bodies are text to the parser: whatever they do to a mapped table (a
foreign key, an UPDATE written to Salesforce, a dropped column) is invisible to the rules here.
When such code names the Connect schema, a mapped table or Connect's own objects, this check says
so plainly, so that a person reviews it. Code that names none of them is not reported.

Bad (the UPDATE inside is a write to Salesforce no rule can see):

    DO $$ BEGIN
        UPDATE salesforce.account SET industry = 'Retail' WHERE industry IS NULL;
    END $$;

Good: write the statement as plain SQL, so that it is checked (and, here, reported), or keep the
block away from Connect's tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.context import Context, Node

_WHAT = {"DoStmt": "This DO block", "CreateFunctionStmt": "This function body"}

CHECK = info(
    sys.modules[__name__],
    "unanalysable-code",
    "Code connect-gate cannot analyse",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=tuple(_WHAT),
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    names = ctx.connect.mentions(_body(node) or ctx.text)
    if names:
        yield Problem(
            f"{_WHAT[ctx.kind]} mentions {', '.join(names)}, which Heroku Connect owns, but connect-gate "
            "cannot analyse code inside it: review what it does to the synced tables by hand."
        )


def _body(node: Node) -> str:
    """The code of a DO block or function (`AS '...'`); empty for SQL-standard bodies (BEGIN ATOMIC)."""
    for option in node.get("args") or node.get("options") or ():
        definition = option.get("DefElem", {})
        if definition.get("defname") == "as":
            argument = definition.get("arg", {})
            items = argument["List"]["items"] if "List" in argument else [argument]
            return "\n".join(item["String"]["sval"] for item in items if "String" in item)
    return ""
