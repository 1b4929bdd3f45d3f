"""Follow `SET search_path` (and `set_config('search_path', ...)`, as pg_dump writes it) in a file."""

from __future__ import annotations

import re

from connect_gate.migrations.context import DEFAULT_SEARCH_PATH, Node
from connect_gate.migrations.nodes import set_config

_IGNORED = frozenset({"$user", "pg_catalog", "pg_temp"})  # never where a migration's tables live
_ELEMENT = re.compile(r'\s*(?:"((?:[^"]|"")*)"|([^,\s]+))\s*(?:,|$)')


def next_search_path(
    kind: str, node: Node, current: tuple[str, ...], default: tuple[str, ...] = DEFAULT_SEARCH_PATH
) -> tuple[str, ...]:
    """The search path after this statement; RESET and DEFAULT go back to the session's `default`."""
    if kind == "VariableSetStmt":
        if node.get("kind") == "VAR_RESET_ALL":
            return default
        if node.get("name") != "search_path":
            return current
        if node.get("kind") == "VAR_SET_VALUE":
            values = [
                arg["A_Const"]["sval"]["sval"]
                for arg in node.get("args", ())
                if "sval" in arg.get("A_Const", {})
            ]
            return _usable(values)
        if node.get("kind") in ("VAR_SET_DEFAULT", "VAR_RESET"):
            return default
        return current
    if kind == "SelectStmt":
        value = _set_config_value(node)
        if value is not None:
            return _usable(_split_list(value))
    return current


def _usable(values: list[str]) -> tuple[str, ...]:
    return tuple(value for value in values if value not in _IGNORED)


def _set_config_value(node: Node) -> str | None:
    """The value set by `SELECT [pg_catalog.]set_config('search_path', '<value>', <local>)`, if that is it."""
    setting = set_config("SelectStmt", node)
    return setting[1] if setting is not None and setting[0] == "search_path" else None


def _split_list(value: str) -> list[str]:
    """A search_path string as PostgreSQL splits it: quoted names kept, unquoted ones lowercased."""
    result: list[str] = []
    for quoted, plain in _ELEMENT.findall(value):
        result.append(quoted.replace('""', '"') if quoted else plain.lower())
    return [name for name in result if name]
