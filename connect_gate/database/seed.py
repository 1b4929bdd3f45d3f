"""Seed a Connect-shaped schema from a mapping configuration into any PostgreSQL.

Teams run their migrations in CI against a throwaway database seeded this way, and the tests of
the database checks start from it. The whole schema is created in one transaction, with `rows`
sample rows in each mapped table (seed_rows.py); a schema that already holds tables is refused
unless `force` (which drops it, with everything in it, first).
"""

from __future__ import annotations

from dataclasses import dataclass

from connect_gate.database.connection import DatabaseError, Session, SessionLimits, session
from connect_gate.database.seed_rows import sample_rows
from connect_gate.database.seed_sql import quote_ident, seed_script
from connect_gate.database.url import parse_url, with_tls
from connect_gate.errors import InputError, ServiceError
from connect_gate.mapping_config import MappingConfig

SEED_TIMEOUT_S = 300
SEED_LIMITS = SessionLimits.within(SEED_TIMEOUT_S, read_only=False)

EXISTING_RELATIONS = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname LIMIT 3
"""


@dataclass(frozen=True, slots=True)
class SeedReport:
    database: str  # the redacted URL
    schema: str
    tables: tuple[str, ...]  # the mapped tables created
    replaced: bool  # an existing schema was dropped first (force)
    rows: int = 0  # sample rows in each mapped table

    @property
    def summary(self) -> str:
        replaced = " (replacing the existing schema)" if self.replaced else ""
        rows = f" and {self.rows} sample row(s) in each" if self.rows else ""
        return (
            f"Seeded schema {self.schema} with {len(self.tables)} mapped table(s){rows} "
            f"into {self.database}{replaced}"
        )


def seed(
    url: str,
    config: MappingConfig,
    *,
    force: bool = False,
    require_tls: bool = True,
    rows: int = 0,
    limits: SessionLimits = SEED_LIMITS,
) -> SeedReport:
    target = with_tls(parse_url(url), require_tls)
    with session(target, limits) as opened:
        return seed_session(opened, config, force=force, rows=rows)


def seed_session(opened: Session, config: MappingConfig, *, force: bool = False, rows: int = 0) -> SeedReport:
    existing = [str(row[0]) for row in _run(opened, EXISTING_RELATIONS, (config.schema,))]
    if existing and not force:
        raise InputError(
            f"database-url: schema {config.schema} in {opened.url} already holds tables "
            f"({', '.join(existing)}, ...); seed only into an empty schema, or pass --force to drop it first"
        )
    drop = f"DROP SCHEMA IF EXISTS {quote_ident(config.schema)} CASCADE;\n" if force else ""
    _run(opened, drop + seed_script(config) + sample_rows(config, rows))
    return SeedReport(
        opened.url.redacted, config.schema, tuple(m.table for m in config.mappings), bool(existing), rows
    )


def missing_tables(opened: Session, config: MappingConfig) -> list[str]:
    """The mapped tables of `config` that the database does not hold (none, once seeded)."""
    wanted = [f"{quote_ident(config.schema)}.{quote_ident(m.table)}" for m in config.mappings]
    rows = _run(
        opened, "SELECT name FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NULL", (wanted,)
    )
    return [str(row[0]) for row in rows]


def _run(opened: Session, sql: str, params: tuple[object, ...] | None = None) -> list[tuple[object, ...]]:
    try:
        return opened.query(sql, params)
    except DatabaseError as exc:
        raise ServiceError(f"seeding {opened.url} failed: {exc}") from None
