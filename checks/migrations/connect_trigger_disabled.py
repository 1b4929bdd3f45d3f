"""A migration disables or drops Heroku Connect's own triggers.

Connect captures every change to a read-write mapped table with its triggers
(`hc_<table>_logtrigger` writes to `_trigger_log`, `hc_<table>_status_trigger` sets `_hc_lastop`).
With them disabled or dropped, changes are silently not sent to Salesforce, and nothing tells you.
`DISABLE TRIGGER ALL` / `USER` and `SET session_replication_role = replica` switch them off too.

Bad:

    ALTER TABLE salesforce.account DISABLE TRIGGER ALL;
    UPDATE salesforce.account SET name = trim(name);
    ALTER TABLE salesforce.account ENABLE TRIGGER ALL;

Good: make the change in Salesforce (data loader, a flow) and let Connect bring it back, or make
it with the triggers on, knowing it is written to Salesforce.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.connect import CONNECT_PREFIX
from connect_gate.migrations.context import Context, Node, Relation, quote
from connect_gate.migrations.nodes import alter_commands, drop_targets

CHECK = info(
    sys.modules[__name__],
    "connect-trigger-disabled",
    "Connect's triggers disabled or dropped",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("VariableSetStmt", "DropStmt", "AlterTableStmt"),
)

_WHY = "changes to the table are no longer captured and never reach Salesforce."


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    if ctx.kind == "VariableSetStmt":
        yield from _replication_role(node)
    elif ctx.kind == "DropStmt" and node.get("removeType") == "OBJECT_TRIGGER":
        for parts in drop_targets(node):
            relation = ctx.qualified(parts[:-1])
            if parts[-1].startswith(CONNECT_PREFIX) and ctx.mapping(relation) is not None:
                yield Problem(f"Drops Heroku Connect's trigger {quote(parts[-1])} on {relation}: {_WHY}")
    elif ctx.kind == "AlterTableStmt":
        relation = ctx.relation(node["relation"])
        if ctx.mapping(relation) is not None:
            for command in alter_commands(node):
                yield from _disabled(command, relation)


def _disabled(command: Node, relation: Relation) -> Iterator[Problem]:
    subtype = command["subtype"]
    if subtype == "AT_DisableTrig" and command["name"].startswith(CONNECT_PREFIX):
        yield Problem(
            f"Disables Heroku Connect's trigger {quote(command['name'])} on {relation}: {_WHY}",
            relation.location,
        )
    elif subtype in ("AT_DisableTrigAll", "AT_DisableTrigUser"):
        which = "ALL" if subtype == "AT_DisableTrigAll" else "USER"
        yield Problem(
            f"DISABLE TRIGGER {which} on {relation} switches off Heroku Connect's triggers: {_WHY}",
            relation.location,
        )


def _replication_role(node: Node) -> Iterator[Problem]:
    if node.get("name") != "session_replication_role" or node.get("kind") != "VAR_SET_VALUE":
        return
    values = [
        arg["A_Const"]["sval"]["sval"] for arg in node.get("args", ()) if "sval" in arg.get("A_Const", {})
    ]
    if values and values[0] in ("replica", "local"):
        yield Problem(
            f"SET session_replication_role = {values[0]} stops every ordinary trigger, Heroku Connect's "
            f"included: {_WHY}",
        )
