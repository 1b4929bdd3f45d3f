"""The mapping configuration: which Salesforce objects Connect syncs into which tables.

Read from the file `heroku connect:export` writes (teams commit it), or from the same JSON that
the connection's export endpoint returns. Table and column names are the lowercased object and
field names, as Connect creates them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connect_gate.document import Document, KeyPath, load_json

DEFAULT_SCHEMA = "salesforce"
EXPORT_SIZE_LIMIT = 32 * 1024 * 1024  # bytes: thousands of mappings; more is no export


class Access(enum.Enum):
    READ_ONLY = "read_only"
    READ_WRITE = "read_write"


@dataclass(frozen=True, slots=True)
class Mapping:
    """One synced object and the table Connect keeps for it."""

    object_name: str
    access: Access
    fields: tuple[str, ...]  # Salesforce field names, as in the export
    upsert_field: str | None = None
    indexes: tuple[tuple[str, bool], ...] = ()  # (field name, unique)

    @property
    def table(self) -> str:
        return self.object_name.lower()

    @property
    def columns(self) -> frozenset[str]:
        """The columns Connect keeps the mapped fields in."""
        return frozenset(field_column(name) for name in self.fields)


@dataclass(frozen=True, slots=True)
class MappingConfig:
    schema: str
    connection_name: str
    app_name: str
    mappings: tuple[Mapping, ...]

    def by_table(self, table: str) -> Mapping | None:
        """The mapping whose table is `table` (already folded as PostgreSQL folds it)."""
        for mapping in self.mappings:
            if mapping.table == table:
                return mapping
        return None


def field_column(field: str) -> str:
    """The column Connect keeps a Salesforce field in: lowercased, and Salesforce's `Id` lives in `sfid`."""
    column = field.lower()
    return "sfid" if column == "id" else column


def load_export(path: str | Path, schema: str | None = None) -> MappingConfig:
    """Read an export file; `schema` overrides the schema named in it."""
    return from_export(load_json(path, "mapping configuration", EXPORT_SIZE_LIMIT), schema)


def schema_from_connection_name(name: str) -> str:
    """`my-app:DATABASE_URL:salesforce` → `salesforce` (the last part names the schema)."""
    parts = name.split(":")
    return parts[-1] if len(parts) >= 3 and parts[-1] else DEFAULT_SCHEMA


def from_export(doc: Document, schema: str | None = None) -> MappingConfig:
    data = doc.data
    _expect(doc, (), data, dict, "an object with `connection` and `mappings`")
    connection = data.get("connection", {})
    _expect(doc, ("connection",), connection, dict, "an object")
    name = connection.get("name", "")
    _expect(doc, ("connection", "name"), name, str, "a string")
    app_name = connection.get("app_name", "")
    _expect(doc, ("connection", "app_name"), app_name, str, "a string")
    raw_mappings = data.get("mappings")
    _expect(doc, ("mappings",), raw_mappings, list, "a list of mappings")
    mappings = tuple(_mapping(doc, ("mappings", index), item) for index, item in enumerate(raw_mappings))
    seen: dict[str, int] = {}
    for index, mapping in enumerate(mappings):
        if mapping.table in seen:
            raise doc.error(
                ("mappings", index, "object_name"),
                f"{mapping.object_name} is mapped twice (also at mappings[{seen[mapping.table]}])",
            )
        seen[mapping.table] = index
    return MappingConfig(
        schema=schema or schema_from_connection_name(name),
        connection_name=name,
        app_name=app_name,
        mappings=mappings,
    )


def _mapping(doc: Document, path: KeyPath, item: Any) -> Mapping:
    _expect(doc, path, item, dict, "an object with `object_name` and `config`")
    object_name = item.get("object_name")
    _expect(doc, (*path, "object_name"), object_name, str, "the Salesforce object name")
    if not object_name:
        raise doc.error((*path, "object_name"), "must not be empty")
    _plain(doc, (*path, "object_name"), object_name)
    config = item.get("config")
    _expect(doc, (*path, "config"), config, dict, "an object")
    access_text = config.get("access")
    try:
        access = Access(access_text)
    except ValueError:
        raise doc.error(
            (*path, "config", "access"), f"expected `read_only` or `read_write`, got {access_text!r}"
        ) from None
    fields = config.get("fields", {})
    _expect(doc, (*path, "config", "fields"), fields, dict, "an object keyed by field name")
    for name in fields:
        _plain(doc, (*path, "config", "fields"), name)
    upsert = config.get("upsert_field")
    if upsert is not None:
        _expect(doc, (*path, "config", "upsert_field"), upsert, str, "a field name")
        _plain(doc, (*path, "config", "upsert_field"), upsert)
    indexes = config.get("indexes", {})
    _expect(doc, (*path, "config", "indexes"), indexes, dict, "an object keyed by field name")
    index_list = tuple(
        (str(name), bool(spec.get("unique", False)) if isinstance(spec, dict) else False)
        for name, spec in indexes.items()
    )
    return Mapping(object_name, access, tuple(str(f) for f in fields), upsert or None, index_list)


def _plain(doc: Document, path: KeyPath, name: str) -> None:
    """Salesforce names are letters, digits and underscores: a NUL or control character in one
    is a forged file, and PostgreSQL cannot even be asked about it."""
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        raise doc.error(
            path, f"{name!r} holds a control character (NUL, escape...), which no Salesforce name has"
        )


def _expect(doc: Document, path: KeyPath, value: Any, kind: type, wanted: str) -> None:
    if not isinstance(value, kind):
        got = "nothing" if value is None else type(value).__name__
        raise doc.error(path, f"expected {wanted}, got {got}")
