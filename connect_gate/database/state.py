"""Everything the database checks read, loaded once: the checks are pure functions of it.

A part that could not be loaded (a query failed, or the table it reads does not exist) is kept
as `Unavailable`; the checks that need it then become ERROR or SKIPPED findings, and the others
still run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from connect_gate.database.catalog import Catalog, load_catalog
from connect_gate.database.connection import DatabaseError, Session
from connect_gate.database.errors import DataUnavailableError, NotApplicableError
from connect_gate.database.writes import Backlog, Failures, backlog, failed_writes, row_failures
from connect_gate.mapping_config import Access, Mapping, MappingConfig

T = TypeVar("T")

DEFAULT_FAILED_HOURS = 24
DEFAULT_STUCK_MINUTES = 30


@dataclass(frozen=True, slots=True)
class CheckOptions:
    failed_hours: int = DEFAULT_FAILED_HOURS  # FAILED writes younger than this are reported
    stuck_minutes: int = DEFAULT_STUCK_MINUTES  # NEW/PENDING changes older than this are stuck


@dataclass(frozen=True, slots=True)
class Unavailable:
    reason: str
    error: bool  # True: a query failed (ERROR); False: nothing to read (SKIPPED)

    def exception(self) -> Exception:
        return DataUnavailableError(self.reason) if self.error else NotApplicableError(self.reason)


@dataclass(frozen=True, slots=True)
class Part(Generic[T]):
    """One loaded part of the state, or why it is missing."""

    value: T | Unavailable

    def get(self) -> T:
        value = self.value
        if isinstance(value, Unavailable):
            raise value.exception()
        return value


@dataclass(frozen=True, slots=True)
class DatabaseState:
    config: MappingConfig
    options: CheckOptions
    catalog_part: Part[Catalog]
    failed_writes_part: Part[tuple[Failures, ...]]
    backlog_part: Part[tuple[Backlog, ...]]
    row_failures_part: Part[tuple[Failures, ...]]

    @property
    def schema(self) -> str:
        return self.config.schema

    def catalog(self) -> Catalog:
        return self.catalog_part.get()

    def present_mappings(self) -> tuple[Mapping, ...]:
        """The mappings whose table exists (a missing schema skips the per-table checks)."""
        catalog = self.catalog()
        if not catalog.schema_exists:
            raise NotApplicableError(f"schema {self.schema} does not exist")
        return tuple(m for m in self.config.mappings if m.table in catalog.tables)

    def object_name(self, table: str) -> str:
        mapping = self.config.by_table(table)
        return mapping.object_name if mapping is not None else table

    def failed_writes(self) -> tuple[Failures, ...]:
        return self.failed_writes_part.get()

    def backlog(self) -> tuple[Backlog, ...]:
        return self.backlog_part.get()

    def row_failures(self) -> tuple[Failures, ...]:
        return self.row_failures_part.get()


def load_state(session: Session, config: MappingConfig, options: CheckOptions | None = None) -> DatabaseState:
    """Read the catalogs and the write activity: a fixed number of statements."""
    options = options or CheckOptions()
    schema = config.schema
    catalog = _load(lambda: load_catalog(session, schema, frozenset(m.table for m in config.mappings)))
    if isinstance(catalog.value, Unavailable):
        return DatabaseState(
            config, options, catalog, Part(catalog.value), Part(catalog.value), Part(catalog.value)
        )
    found = catalog.value
    tables = found.tables
    log_tables = [table for table in ("_trigger_log", "_trigger_log_archive") if table in tables]
    failures: Part[tuple[Failures, ...]]
    stuck: Part[tuple[Backlog, ...]]
    if "_trigger_log" in tables:
        failures = _load(lambda: failed_writes(session, schema, log_tables, options.failed_hours))
        stuck = _load(lambda: backlog(session, schema, options.stuck_minutes))
    else:
        missing = Unavailable(f"there is no {schema}._trigger_log to read", error=False)
        failures, stuck = Part(missing), Part(missing)
    rows = _load(lambda: row_failures(session, schema, _write_back_tables(config, found)))
    return DatabaseState(config, options, catalog, failures, stuck, rows)


def _write_back_tables(config: MappingConfig, catalog: Catalog) -> list[str]:
    """Read-write mapped tables that have the status columns (`_hc_lastop`, `_hc_err`)."""
    status_columns = {"_hc_lastop", "_hc_err"}
    return [
        m.table
        for m in config.mappings
        if m.access is Access.READ_WRITE and status_columns <= set(catalog.columns_of(m.table))
    ]


def _load(read: Callable[[], T]) -> Part[T]:
    try:
        return Part(read())
    except DatabaseError as exc:
        return Part(Unavailable(f"the query failed: {exc}", error=True))
