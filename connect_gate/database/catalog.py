"""What is in the database: one snapshot of the catalogs, in six queries whatever the table count.

Every query is scoped to the Connect schema (or to constraints pointing into it) and reads the
whole schema at once; nothing here queries a table at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from connect_gate.database import names
from connect_gate.database.connection import Session

PRESENCE = """
SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %(schema)s),
       ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p')),
       EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hstore'),
       ARRAY(SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE (n.nspname = 'public' AND p.proname = 'get_xmlbinary')
                OR (n.nspname = %(schema)s AND p.proname = ANY(%(functions)s)))
"""

COLUMNS = """
SELECT c.relname, a.attname, a.attnotnull
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relname = ANY(%(tables)s) AND c.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped
"""

TRIGGERS = """
SELECT c.relname, t.tgname, t.tgenabled IN ('O', 'A'), pn.nspname || '.' || p.proname
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE n.nspname = %(schema)s AND NOT t.tgisinternal
  AND pn.nspname <> %(recorder)s  -- a sandbox's recorder (`connect-gate seed --record`) is not the app's
ORDER BY c.relname, t.tgname
"""

CONSTRAINTS = """
SELECT con.conname, con.contype, sn.nspname, s.relname, CASE WHEN tn.nspname = %(schema)s THEN t.relname END,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) k
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k),
       pg_get_constraintdef(con.oid)
FROM pg_constraint con JOIN pg_class s ON s.oid = con.conrelid JOIN pg_namespace sn ON sn.oid = s.relnamespace
LEFT JOIN pg_class t ON t.oid = con.confrelid LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE con.contype IN ('c', 'f', 'x', 'p', 'u')
  AND (sn.nspname = %(schema)s OR (con.contype = 'f' AND tn.nspname = %(schema)s))
ORDER BY sn.nspname, s.relname, con.conname
"""

INDEXES = """
SELECT c.relname, i.relname, x.indisunique AND x.indpred IS NULL AND x.indexprs IS NULL,
       ARRAY(SELECT a.attname::text FROM unnest(x.indkey) k
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k)
FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relname = ANY(%(tables)s)
"""

RULES_AND_POLICIES = """
SELECT c.relname, 'rule', r.rulename::text FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(schema)s AND r.rulename <> '_RETURN'
UNION ALL
SELECT c.relname, 'policy', p.polname::text FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(schema)s
UNION ALL
SELECT c.relname, 'row level security', '' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relrowsecurity
ORDER BY 1, 2, 3
"""


@dataclass(frozen=True, slots=True)
class Column:
    table: str
    name: str
    not_null: bool


@dataclass(frozen=True, slots=True)
class Trigger:
    table: str
    name: str
    enabled: bool  # fires in ordinary sessions (enabled ORIGIN or ALWAYS)
    function: str  # schema-qualified


@dataclass(frozen=True, slots=True)
class Constraint:
    name: str
    kind: str  # pg_constraint.contype: c check, f foreign key, x exclusion, p primary key, u unique
    schema: str  # of the constrained (referencing) table
    table: str
    referenced_table: str | None  # for foreign keys (a table of the Connect schema, else None)
    referenced_columns: tuple[str, ...]
    definition: str


@dataclass(frozen=True, slots=True)
class Index:
    table: str
    name: str
    unique: bool  # unique on plain columns, whole table (not partial, no expression)
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableExtra:
    """A rule, a policy or row level security on a table: none is Connect's."""

    table: str
    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class Catalog:
    schema: str
    schema_exists: bool
    tables: frozenset[str]  # every table of the schema
    hstore: bool
    functions: frozenset[str]  # the schema-wide Connect functions found, schema-qualified
    columns: dict[str, dict[str, Column]]  # table → name → column, mapped and system tables
    triggers: dict[str, dict[str, Trigger]]  # table → name → trigger
    constraints: tuple[Constraint, ...]
    indexes: tuple[Index, ...]
    extras: tuple[TableExtra, ...]

    def columns_of(self, table: str) -> dict[str, Column]:
        return self.columns.get(table, {})

    def triggers_of(self, table: str) -> dict[str, Trigger]:
        return self.triggers.get(table, {})


Named = TypeVar("Named", Column, Trigger)


def _by_table(items: list[Named]) -> dict[str, dict[str, Named]]:
    grouped: dict[str, dict[str, Named]] = {}
    for item in items:
        grouped.setdefault(item.table, {})[item.name] = item
    return grouped


def load_catalog(session: Session, schema: str, mapped_tables: frozenset[str]) -> Catalog:
    params = {
        "schema": schema,
        "functions": list(names.SCHEMA_FUNCTIONS),
        "recorder": names.RECORDER_SCHEMA,
        "tables": sorted(mapped_tables | frozenset(names.SYSTEM_TABLES)),
    }
    [(schema_exists, tables, hstore, functions)] = session.query(PRESENCE, params)
    return Catalog(
        schema=schema,
        schema_exists=bool(schema_exists),
        tables=frozenset(tables),
        hstore=bool(hstore),
        functions=frozenset(functions),
        columns=_by_table([Column(*row) for row in session.query(COLUMNS, params)]),
        triggers=_by_table([Trigger(*row) for row in session.query(TRIGGERS, params)]),
        constraints=tuple(
            Constraint(name, kind, owner, table, referenced, tuple(columns), definition)
            for name, kind, owner, table, referenced, columns, definition in session.query(
                CONSTRAINTS, params
            )
        ),
        indexes=tuple(
            Index(table, name, bool(unique), tuple(columns))
            for table, name, unique, columns in session.query(INDEXES, params)
        ),
        extras=tuple(TableExtra(*row) for row in session.query(RULES_AND_POLICIES, params)),
    )
