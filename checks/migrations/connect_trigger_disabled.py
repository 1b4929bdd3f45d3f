"""A migration disables, drops, renames or replaces Heroku Connect's own triggers.

Connect captures every change to a read-write mapped table with its triggers
(`hc_<table>_logtrigger` writes to `_trigger_log`, `hc_<table>_status_trigger` sets `_hc_lastop`).
With them disabled or dropped, changes are silently not sent to Salesforce, and nothing tells you.
`DISABLE TRIGGER ALL` / `USER` and `session_replication_role = replica` switch them off too. Heroku's
"Using Custom Triggers with Heroku Connect" says: "Connect triggers detect row updates to send to
Salesforce when the xmlbinary value is base64. Connect triggers ignore row updates when xmlbinary
is hex": setting `xmlbinary` to anything but `base64` (`SET`, `set_config()`, `ALTER DATABASE` or
`ALTER ROLE ... SET`) stops the capture as well. Renaming a trigger `hc_*` or replacing it
(`CREATE OR REPLACE TRIGGER`) changes Connect's own machinery.

Bad:

    ALTER TABLE salesforce.account DISABLE TRIGGER ALL;
    SET xmlbinary TO 'hex';
    UPDATE salesforce.account SET name = trim(name);
    ALTER TABLE salesforce.account ENABLE TRIGGER ALL;

Good: make the change in Salesforce (data loader, a flow) and let Connect bring it back, or make
it with the triggers on, knowing it is written to Salesforce (and saying so):

    -- connect-gate: ignore write-to-read-write-mapping because the trimmed names are meant for Salesforce
    UPDATE salesforce.account SET name = trim(name);
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.connect import CONNECT_PREFIX
from connect_gate.migrations.context import Context, Node, Relation, quote
from connect_gate.migrations.nodes import alter_commands, drop_targets, set_value

CHECK = info(
    sys.modules[__name__],
    "connect-trigger-disabled",
    "Connect's triggers disabled or dropped",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=(
        "VariableSetStmt",
        "AlterDatabaseSetStmt",
        "AlterRoleSetStmt",
        "SelectStmt",
        "DropStmt",
        "AlterTableStmt",
        "RenameStmt",
        "CreateTrigStmt",
    ),
    doc_url="https://devcenter.heroku.com/articles/using-custom-triggers-with-heroku-connect",
)

_WHY = "changes to the table are no longer captured and never reach Salesforce."


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    setting = set_value(ctx.kind, node)
    if setting is not None:
        yield from _setting(*setting)
    elif ctx.kind in ("RenameStmt", "CreateTrigStmt"):
        yield from _own_trigger_changed(node, ctx)
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


def _setting(name: str, value: str) -> Iterator[Problem]:
    if name == "session_replication_role" and value.lower() in ("replica", "local"):
        yield Problem(
            f"Sets session_replication_role to {value}, which stops every ordinary trigger, Heroku Connect's "
            f"included: {_WHY}",
        )
    elif name == "xmlbinary" and value.lower() != "base64":
        yield Problem(
            f"Sets xmlbinary to {value}: Heroku Connect's triggers ignore row changes unless it is base64, "
            f"so {_WHY}"
        )


def _own_trigger_changed(node: Node, ctx: Context) -> Iterator[Problem]:
    if "relation" not in node:
        return
    relation = ctx.relation(node["relation"])
    if ctx.mapping(relation) is None:
        return
    if ctx.kind == "RenameStmt" and node.get("renameType") == "OBJECT_TRIGGER":
        name = node.get("subname", "")
        if name.startswith(CONNECT_PREFIX):
            yield Problem(
                f"Renames Heroku Connect's trigger {quote(name)} on {relation}: Connect no longer finds it "
                "by its name and may create it again, capturing every change twice.",
                relation.location,
            )
    elif (
        ctx.kind == "CreateTrigStmt"
        and node.get("replace")
        and node.get("trigname", "").startswith(CONNECT_PREFIX)
    ):
        yield Problem(
            f"Replaces Heroku Connect's trigger {quote(node['trigname'])} on {relation}: what it runs "
            f"is no longer Connect's, so {_WHY}",
            relation.location,
        )
