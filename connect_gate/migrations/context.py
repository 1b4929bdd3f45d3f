"""What a rule sees besides the statement: names resolved the way PostgreSQL resolves them.

An unqualified table name is looked up through the file's current `search_path` (PostgreSQL's
default, `"$user", public`, behaves as `public` in a migration): the first schema on the path
where the table is known to exist (a table Connect owns, or one created earlier in the file),
else the first schema on the path, which is where PostgreSQL would create it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from connect_gate.mapping_config import Mapping
from connect_gate.migrations.connect import Connect
from connect_gate.migrations.file_state import FileState

Node = dict[str, Any]
DEFAULT_SEARCH_PATH = ("public",)
_SIMPLE_NAME = re.compile(r"[a-z_][a-z0-9_$]*")


@functools.cache
def _needs_quotes() -> frozenset[str]:
    """Keywords that cannot name a table or column (loaded on first use: a run without migration
    files never loads pglast)."""
    from pglast.keywords import RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

    return frozenset(RESERVED_KEYWORDS | TYPE_FUNC_NAME_KEYWORDS)


def quote(name: str) -> str:
    """A name as it must be written in SQL to mean exactly this name (`user` is a keyword: `"user"`)."""
    if _SIMPLE_NAME.fullmatch(name) and name not in _needs_quotes():
        return name
    return '"' + name.replace('"', '""') + '"'


def dotted(parts: list[str]) -> str:
    """`["salesforce", "hc_idx_account_sfid"]` as SQL writes it: `salesforce.hc_idx_account_sfid`."""
    return ".".join(map(quote, parts))


def names(items: Iterable[Node]) -> list[str]:
    """`[{"String": {"sval": "a"}}, ...]` → `["a", ...]`."""
    return [item["String"]["sval"] for item in items if "String" in item]


class Relation(NamedTuple):  # a named tuple: built for most table names of most statements
    schema: str
    name: str
    location: int | None = None  # byte offset of the name, relative to the statement's base

    def __str__(self) -> str:
        return f"{quote(self.schema)}.{quote(self.name)}" if self.schema else quote(self.name)


@dataclass(frozen=True, slots=True)
class Context:
    connect: Connect
    search_path: tuple[str, ...] = DEFAULT_SEARCH_PATH
    created: set[tuple[str, str]] = field(default_factory=set)  # tables created earlier in the file
    kind: str = ""  # the statement's node type, e.g. "AlterTableStmt"
    source: bytes = b""  # the file's text in UTF-8 and the statement's span in it
    span: tuple[int, int] = (0, 0)
    file: FileState = field(default_factory=FileState)  # what the file's earlier statements did

    @property
    def text(self) -> str:
        """The statement's source text (decoded only for the rules that read it)."""
        return self.source[self.span[0] : self.span[1]].decode("utf-8", errors="replace")

    def relation(self, rangevar: Node) -> Relation:
        """A RangeVar node (`{"schemaname"?, "relname", "location"}`) resolved to its schema."""
        name = rangevar["relname"]
        schema = rangevar.get("schemaname") or self.lookup(name)
        return Relation(schema, name, rangevar.get("location"))

    def qualified(self, parts: list[str]) -> Relation:
        """`["salesforce", "account"]` or `["account"]` (as DROP TABLE gives them) resolved."""
        if len(parts) >= 2:
            return Relation(parts[-2], parts[-1])
        return Relation(self.lookup(parts[-1]), parts[-1])

    def lookup(self, name: str) -> str:
        for schema in self.search_path:
            if (schema, name) in self.created or self.connect.owns_table(schema, name):
                return schema
        return self.creation_schema()

    def creation_schema(self) -> str:
        return self.search_path[0] if self.search_path else ""

    def mapping(self, relation: Relation) -> Mapping | None:
        return self.connect.mapping(relation.schema, relation.name)

    @property
    def schema(self) -> str:
        return self.connect.schema
