"""Where in pglast's JSON tree the things the rules ask about live (PostgreSQL 18 node shapes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Node = dict[str, Any]
WRITES = ("InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt")


def alter_commands(node: Node) -> Iterator[Node]:
    """The `AlterTableCmd`s of an ALTER TABLE (`subtype`, `name`, `def`)."""
    for command in node.get("cmds", ()):
        if "AlterTableCmd" in command:
            yield command["AlterTableCmd"]


def column_constraints(column: Node) -> Iterator[Node]:
    for item in column.get("constraints", ()):
        if "Constraint" in item:
            yield item["Constraint"]


def added_constraints(kind: str, node: Node) -> Iterator[Node]:
    """Every constraint a CREATE TABLE or ALTER TABLE declares, inline on a column or not."""
    if kind == "CreateStmt":
        for element in node.get("tableElts", ()):
            if "Constraint" in element:
                yield element["Constraint"]
            elif "ColumnDef" in element:
                yield from column_constraints(element["ColumnDef"])
    elif kind == "AlterTableStmt":
        for command in alter_commands(node):
            definition = command.get("def", {})
            if command["subtype"] == "AT_AddConstraint" and "Constraint" in definition:
                yield definition["Constraint"]
            elif command["subtype"] == "AT_AddColumn" and "ColumnDef" in definition:
                yield from column_constraints(definition["ColumnDef"])


def written_relations(kind: str, node: Node) -> Iterator[tuple[str, Node]]:
    """(statement kind, RangeVar) for each table an INSERT / UPDATE / DELETE / MERGE / COPY FROM
    writes, including the data-modifying statements inside WITH."""
    if kind in WRITES or (kind == "CopyStmt" and node.get("is_from") and "relation" in node):
        yield kind, node["relation"]
    for cte in node.get("withClause", {}).get("ctes", ()):
        query = cte.get("CommonTableExpr", {}).get("ctequery", {})
        for inner_kind, inner in query.items():
            yield from written_relations(inner_kind, inner)


def created_relation(kind: str, node: Node) -> Node | None:
    """The RangeVar of the table a CREATE TABLE, CREATE TABLE AS or SELECT INTO makes."""
    if kind == "CreateStmt":
        relation: Node = node["relation"]
        return relation
    if kind == "CreateTableAsStmt" and node.get("objtype") == "OBJECT_TABLE":
        into: Node = node["into"]["rel"]
        return into
    if kind == "SelectStmt" and "intoClause" in node:
        target: Node = node["intoClause"]["rel"]
        return target
    return None


def drop_targets(node: Node) -> Iterator[list[str]]:
    """The dotted names a DROP lists: `DROP TABLE a.b, c` → `["a", "b"]`, `["c"]`."""
    for item in node.get("objects", ()):
        if "List" in item:
            yield [part["String"]["sval"] for part in item["List"].get("items", ()) if "String" in part]
        elif "String" in item:
            yield [item["String"]["sval"]]
        elif "ObjectWithArgs" in item:
            yield [
                part["String"]["sval"]
                for part in item["ObjectWithArgs"].get("objname", ())
                if "String" in part
            ]


def reindexes_concurrently(node: Node) -> bool:
    """Whether a ReindexStmt says CONCURRENTLY (`REINDEX TABLE CONCURRENTLY t` or `REINDEX
    (CONCURRENTLY) TABLE t`); as PostgreSQL reads the option (`defGetBoolean`), the last one counts
    and `false`, `off` or `0` turn it off."""
    concurrently = False
    for param in node.get("params", ()):
        option = param.get("DefElem", {})
        if option.get("defname") == "concurrently":
            arg = option.get("arg")
            if arg is None:
                concurrently = True
            elif "Integer" in arg:
                concurrently = arg["Integer"].get("ival", 0) != 0
            else:
                concurrently = str(arg.get("String", {}).get("sval", "")).lower() not in ("false", "off")
    return concurrently


def set_config(kind: str, node: Node) -> tuple[str, str] | None:
    """(setting, value) of `SELECT [pg_catalog.]set_config('<setting>', '<value>', <local>)`, if it is one."""
    if kind != "SelectStmt":
        return None
    targets = node.get("targetList", ())
    if len(targets) != 1:
        return None
    call = targets[0].get("ResTarget", {}).get("val", {}).get("FuncCall")
    if call is None or [n.get("String", {}).get("sval") for n in call.get("funcname", ())][-1:] != [
        "set_config"
    ]:
        return None
    args = [arg.get("A_Const", {}).get("sval", {}).get("sval") for arg in call.get("args", ())]
    if len(args) < 2 or args[0] is None or args[1] is None:
        return None
    return str(args[0]), str(args[1])


def set_value(kind: str, node: Node) -> tuple[str, str] | None:
    """(setting, first value) that a SET, ALTER DATABASE/ROLE ... SET or set_config() gives."""
    if kind in ("AlterDatabaseSetStmt", "AlterRoleSetStmt"):
        kind, node = "VariableSetStmt", node.get("setstmt", {})
    if kind == "VariableSetStmt":
        if node.get("kind") != "VAR_SET_VALUE":
            return None
        values = [
            arg["A_Const"]["sval"]["sval"] for arg in node.get("args", ()) if "sval" in arg.get("A_Const", {})
        ]
        return (str(node.get("name")), values[0]) if values else None
    return set_config(kind, node)


def read_relations(node: Any) -> Iterator[Node]:
    """Every RangeVar a query reads (in FROM, joins, subqueries, CTEs), except references to its
    own CTEs by name."""
    ctes = {
        cte["CommonTableExpr"]["ctename"]
        for cte in _all(node, "CommonTableExpr", wrapped=True)
        if "ctename" in cte.get("CommonTableExpr", {})
    }
    for rangevar in _all(node, "RangeVar", wrapped=False):
        if rangevar.get("schemaname") or rangevar.get("relname") not in ctes:
            yield rangevar


def _all(node: Any, key: str, wrapped: bool) -> Iterator[Node]:
    """Each `{key: value}` in the tree: the wrapping dict (`wrapped`) or the value."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if key in item:
                yield item if wrapped else item[key]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
