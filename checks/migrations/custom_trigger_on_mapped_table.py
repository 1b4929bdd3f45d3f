"""A migration adds a trigger, a rule, a policy or row-level security to a mapped table.

Connect keeps a mapped table in step with Salesforce through its own triggers (`hc_<table>_logtrigger`,
`hc_<table>_status_trigger`). Heroku does not support custom triggers on mapped tables: one that
changes or rejects rows makes Connect miss updates or fail writes. Rules rewrite Connect's own
statements, and row-level security policies can hide rows from it or refuse its writes.

Heroku's "Using Custom Triggers with Heroku Connect": "Custom triggers aren't officially supported"
and "Implementing your own custom triggers on Connect tables can create additional load and
Connect can miss your updates."

Bad:

    CREATE TRIGGER touch_account BEFORE UPDATE ON salesforce.account
        FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
    ALTER TABLE salesforce.contact ENABLE ROW LEVEL SECURITY;

Good: react to changes outside the mapped table, e.g. from a job that reads rows changed since a
`systemmodstamp`, or put the logic in Salesforce (a flow or an Apex trigger).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.connect import CONNECT_PREFIX
from connect_gate.migrations.context import Context, Node, quote
from connect_gate.migrations.nodes import alter_commands

CHECK = info(
    sys.modules[__name__],
    "custom-trigger-on-mapped-table",
    "Trigger, rule or row-level security on a mapped table",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=("CreateTrigStmt", "RuleStmt", "CreatePolicyStmt", "AlterTableStmt"),
    doc_url="https://devcenter.heroku.com/articles/using-custom-triggers-with-heroku-connect",
)

_WHAT = {
    "CreateTrigStmt": ("trigname", "trigger"),
    "RuleStmt": ("rulename", "rule"),
    "CreatePolicyStmt": ("policy_name", "row-level security policy"),
}
_ROW_SECURITY = {"AT_EnableRowSecurity": "Enables", "AT_ForceRowSecurity": "Forces"}


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    relation = ctx.relation(node["table"] if ctx.kind == "CreatePolicyStmt" else node["relation"])
    mapping = ctx.mapping(relation)
    if mapping is None:
        return
    why = (
        f"Heroku Connect does not support them on the tables it syncs ({mapping.object_name}) "
        "and can miss updates."
    )
    if ctx.kind == "CreateTrigStmt" and node.get("replace") and node["trigname"].startswith(CONNECT_PREFIX):
        return  # Connect's own trigger replaced: connect-trigger-disabled reports it
    if ctx.kind in _WHAT:
        key, what = _WHAT[ctx.kind]
        yield Problem(f"Creates {what} {quote(node[key])} on {relation}: {why}", relation.location)
        return
    for command in alter_commands(node):
        action = _ROW_SECURITY.get(command["subtype"])
        if action is not None:
            yield Problem(f"{action} row-level security on {relation}: {why}", relation.location)
