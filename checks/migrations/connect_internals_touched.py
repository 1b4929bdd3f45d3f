"""A migration touches Heroku Connect's own tables, functions, indexes or the hstore extension.

Connect keeps its state next to the mapped tables: `_trigger_log` and `_trigger_log_archive`
(changes waiting for or sent to Salesforce), `_hcmeta` (its version and org), `_sf_event_log`,
the functions its triggers run (`hc_<table>_logger()`, `hc_<table>_status()`,
`hc_capture_insert_from_row`, `tlog_notify_trigger`, `public.get_xmlbinary()`), its indexes
(`hc_idx_*`, `hcu_idx_*`) and the `hstore` extension. Dropping `_hcmeta` or `_trigger_log` takes
the connection down (DB_UNAVAILABLE; the only fix is to recreate it); editing the log loses or
replays writes to Salesforce; replacing a function changes what every trigger does.

The sandbox (`sandbox-url`) judges a write into Connect's system tables whatever code made it: a
DO block, a function, the app's trigger or SQL an ORM built (`EXECUTE 'DELETE FROM
salesforce._trigger_log'`). Connect's own logger queuing a change to a mapped table in
`_trigger_log` is not such a write: that change is `write-to-read-write-mapping` and
`rows-queued-for-salesforce`. Heroku describes the log in "Heroku Connect Trigger Log"
(https://devcenter.heroku.com/articles/heroku-connect-trigger-log).

Resetting the sequence of a mapped table's `id` (`ALTER SEQUENCE ... RESTART`, `setval()`) is
reported too: Heroku's "Heroku Connect Database Tables" calls `id` "an implementation detail" of
Connect's.

Bad:

    TRUNCATE salesforce._trigger_log;
    DROP EXTENSION hstore CASCADE;
    DO $$ BEGIN EXECUTE 'DELETE FROM salesforce.' || '_trigger_log'; END $$;  -- in the sandbox

Good: leave Connect's objects alone. To clean up old log rows, use the archive settings in the
Heroku Connect dashboard; to retry failed writes, use its "Retry" action.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.migrations.connect import EXTENSIONS, INDEX_PREFIXES
from connect_gate.migrations.context import Context, Node, Relation, dotted, quote
from connect_gate.migrations.context import names as string_names
from connect_gate.migrations.nodes import WRITES, drop_targets, written_relations

_WHY = "Heroku Connect depends on it; changing it can lose writes to Salesforce or take the connection down."
_VERBS = {
    "AlterTableStmt": "Alters",
    "RenameStmt": "Renames",
    "AlterObjectSchemaStmt": "Moves",
    "TruncateStmt": "Truncates",
    "CreateTrigStmt": "Adds a trigger to",
    "RuleStmt": "Adds a rule to",
    "CreatePolicyStmt": "Adds a policy to",
    "IndexStmt": "Adds an index to",
}
_DROPPED = {
    "OBJECT_TABLE": "table",
    "OBJECT_FUNCTION": "function",
    "OBJECT_PROCEDURE": "function",
    "OBJECT_ROUTINE": "function",
    "OBJECT_INDEX": "index",
    "OBJECT_EXTENSION": "extension",
    "OBJECT_TRIGGER": "trigger",
}


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    yield from _id_sequence_reset(node, ctx)
    if ctx.kind == "DropStmt":
        yield from _dropped(node, ctx)
    elif (target := _function_target(ctx.kind, node)) is not None:
        parts, verb = target
        if ctx.connect.is_function(*_function_name(parts, ctx)):
            yield Problem(f"{verb} Heroku Connect's function {dotted(parts)}: {_WHY}")
    else:
        for rangevar in _relations(ctx.kind, node):
            relation = ctx.relation(rangevar)
            if ctx.connect.is_system_table(relation.schema, relation.name):
                verb = _VERBS.get(ctx.kind, "Writes to")
                yield Problem(f"{verb} {relation}, Heroku Connect's own table: {_WHY}", relation.location)


def _id_sequence_reset(node: Node, ctx: Context) -> Iterator[Problem]:
    """`ALTER SEQUENCE <table>_id_seq RESTART` or `setval('<table>_id_seq', ...)` on a mapped table's `id`."""
    if ctx.kind == "AlterSeqStmt":
        restart = any(
            option.get("DefElem", {}).get("defname") == "restart" for option in node.get("options", ())
        )
        sequence = ctx.relation(node["sequence"]) if restart else None
    elif ctx.kind == "SelectStmt":
        sequence = _setval_target(node, ctx)
    else:
        return
    if sequence is None or not sequence.name.endswith("_id_seq"):
        return
    mapping = ctx.connect.mapping(sequence.schema, sequence.name.removesuffix("_id_seq"))
    if mapping is not None:
        yield Problem(
            f"Resets {sequence}, the sequence of Heroku Connect's `id` column of {mapping.object_name}: "
            "Connect owns it; new rows can collide with the ids of existing ones and fail to sync.",
            sequence.location,
        )


def _setval_target(node: Node, ctx: Context) -> Relation | None:
    for target in node.get("targetList", ()):
        call = target.get("ResTarget", {}).get("val", {}).get("FuncCall")
        if call is None or string_names(call.get("funcname", ()))[-1:] != ["setval"] or not call.get("args"):
            continue
        name = call["args"][0].get("A_Const", {}).get("sval", {}).get("sval")
        if isinstance(name, str):
            return ctx.qualified([part.strip('"') for part in name.split(".")])
    return None


def _relations(kind: str, node: Node) -> Iterator[Node]:
    if kind in WRITES or kind in ("CopyStmt", "SelectStmt"):
        yield from (rangevar for _, rangevar in written_relations(kind, node))
    elif kind == "TruncateStmt":
        yield from (item["RangeVar"] for item in node.get("relations", ()))
    elif kind == "CreatePolicyStmt":
        yield node["table"]
    elif "relation" in node:
        yield node["relation"]


def _dropped(node: Node, ctx: Context) -> Iterator[Problem]:
    what = _DROPPED.get(node.get("removeType", ""))
    for parts in drop_targets(node):
        if what == "table" and ctx.connect.is_system_table(*_split(ctx.qualified(parts))):
            yield Problem(f"Drops {ctx.qualified(parts)}, Heroku Connect's own table: {_WHY}")
        elif what == "function" and ctx.connect.is_function(*_function_name(parts, ctx)):
            yield Problem(f"Drops Heroku Connect's function {dotted(parts)}: {_WHY}")
        elif (
            what == "index" and parts[-1].startswith(INDEX_PREFIXES) and _schema_of(parts, ctx) == ctx.schema
        ):
            yield Problem(f"Drops Heroku Connect's index {dotted(parts)}: {_WHY}")
        elif what == "extension" and parts[-1] in EXTENSIONS:
            yield Problem(f"Drops the {parts[-1]} extension that Heroku Connect's triggers use: {_WHY}")
        elif what == "trigger" and ctx.connect.is_system_table(*_split(ctx.qualified(parts[:-1]))):
            yield Problem(
                f"Drops trigger {quote(parts[-1])} on {ctx.qualified(parts[:-1])}, Heroku Connect's own "
                f"table: {_WHY}"
            )


_FUNCTION_VERBS = {
    "RenameStmt": "Renames",
    "AlterOwnerStmt": "Changes the owner of",
    "AlterObjectSchemaStmt": "Moves",
    "AlterFunctionStmt": "Alters",
}


def _function_target(kind: str, node: Node) -> tuple[list[str], str] | None:
    """(dotted name, verb) when the statement creates or changes a function or procedure."""
    if kind == "CreateFunctionStmt":
        return string_names(node["funcname"]), "Replaces" if node.get("replace") else "Creates"
    if kind == "AlterFunctionStmt":  # `func` is an ObjectWithArgs's fields, not a wrapped node
        return _routine_name(node.get("func", {})), _FUNCTION_VERBS[kind]
    objects = node.get("renameType") or node.get("objectType")
    if kind in _FUNCTION_VERBS and objects in _ROUTINES:
        return _routine_name(node.get("object", {})), _FUNCTION_VERBS[kind]
    return None


_ROUTINES = ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE")


def _routine_name(node: Node) -> list[str]:
    """The dotted name of `{"ObjectWithArgs": {"objname": ...}}` or of its bare fields."""
    return string_names(node.get("ObjectWithArgs", node).get("objname", ()))


def _function_name(parts: list[str], ctx: Context) -> tuple[str, str]:
    if len(parts) >= 2:
        return parts[-2], parts[-1]
    for schema in ctx.search_path:
        if ctx.connect.is_function(schema, parts[-1]):
            return schema, parts[-1]
    return ctx.creation_schema(), parts[-1]


def _schema_of(parts: list[str], ctx: Context) -> str:
    if len(parts) >= 2:
        return parts[-2]
    return ctx.schema if ctx.schema in ctx.search_path else ctx.creation_schema()


def _split(relation: Relation) -> tuple[str, str]:
    return relation.schema, relation.name


CHECK = info(
    sys.modules[__name__],
    "connect-internals-touched",
    "Connect's own tables or functions touched",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=(
        "DropStmt",
        "CreateFunctionStmt",
        "AlterOwnerStmt",
        *_FUNCTION_VERBS,
        *_VERBS,
        *WRITES,
        "CopyStmt",
        "SelectStmt",
        "AlterSeqStmt",
    ),
)
