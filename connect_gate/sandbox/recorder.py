"""Install, read and remove the recorder of what migrations do to a sandbox database.

See recorder_sql.py for what is installed. Reading needs only SELECT; installing needs a
superuser (only superusers may create event triggers), as the `postgres` service container's
`POSTGRES_USER` is.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg2 import sql

from connect_gate.database import names
from connect_gate.database.connection import DatabaseError, Session
from connect_gate.errors import InputError, ServiceError
from connect_gate.mapping_config import Access, MappingConfig
from connect_gate.sandbox.recorder_sql import CLEANUP, install_script

IS_SUPERUSER = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
RECORDER_EXISTS = "SELECT to_regclass(%s) IS NOT NULL"
STATEMENTS = "SELECT id, query, search_path FROM {schema}.statements ORDER BY id"
# Each command the statements ran, with its own transaction (a text two migrations sent is in both).
EXECUTIONS = """
SELECT statement_id, txid, event, command_tag, coalesce(object_type, ''), coalesce(object_identity, ''),
       coalesce(relation, '{{}}'), count(*)
FROM {schema}.commands
GROUP BY statement_id, txid, event, command_tag, object_type, object_identity, relation
ORDER BY min(seq)
"""
SAMPLE_IDS = 5
CAPTURED = """
SELECT table_name, action, count(*) FROM {log} WHERE state = 'NEW' AND table_name = ANY(%s)
GROUP BY table_name, action ORDER BY table_name, action
"""
CAPTURED_ROWS = f"""
SELECT table_name, count(DISTINCT record_id),
       (array_agg(DISTINCT record_id ORDER BY record_id))[1:{SAMPLE_IDS}]
FROM {{log}} WHERE state = 'NEW' AND table_name = ANY(%s) GROUP BY table_name
"""


@dataclass(frozen=True, slots=True)
class Execution:
    """What a statement did in one transaction: one kind of command on one object, `count` times."""

    txid: int
    event: str  # `write`, `ddl_command_end` or `sql_drop`
    tag: str  # INSERT, UPDATE, DELETE, TRUNCATE, ALTER TABLE, CREATE TRIGGER, DROP TABLE...
    object_type: str  # table, index, trigger, table column...
    identity: str  # salesforce.account, "hc_idx on salesforce.account"...
    relation: tuple[str, ...]  # (schema, table) of the table it changed, or ()
    count: int


@dataclass(frozen=True, slots=True)
class RecordedStatement:
    """One statement text the migrations sent (recorded once), and what it did each time it ran."""

    id: int
    query: str
    search_path: tuple[str, ...]  # the schemas its unqualified names resolved through
    executions: tuple[Execution, ...]

    @property
    def txids(self) -> tuple[int, ...]:
        """The transactions it ran in, in order."""
        return tuple(dict.fromkeys(execution.txid for execution in self.executions))


@dataclass(frozen=True, slots=True)
class Recording:
    statements: tuple[RecordedStatement, ...]

    @property
    def commands(self) -> int:
        """DDL commands and writes to Connect's tables, counted each time they ran."""
        return sum(e.count for statement in self.statements for e in statement.executions)


@dataclass(frozen=True, slots=True)
class CapturedWrites:
    """Changes to one read-write mapped table that Connect's trigger queued for Salesforce (NEW)."""

    table: str
    by_action: tuple[tuple[str, int], ...]  # (INSERT, 3), (UPDATE, 1)
    rows: int  # distinct rows changed
    sample_ids: tuple[int, ...]  # Connect's `id` of the first of them

    @property
    def changes(self) -> int:
        return sum(count for _action, count in self.by_action)


def require_superuser(opened: Session) -> None:
    [(superuser,)] = _run(opened, IS_SUPERUSER)
    if not superuser:
        raise InputError(
            "--record: the recorder uses event triggers, which only a superuser may create; connect as "
            "one (the postgres service container's POSTGRES_USER is)"
        )


def install(opened: Session, config: MappingConfig) -> None:
    """(Re)install the recorder for the mapped tables of `config` (which must exist)."""
    require_superuser(opened)
    _run(opened, install_script(config))


def cleanup(opened: Session) -> None:
    """Remove the recorder: its schema, its event triggers and its triggers on the mapped tables."""
    _run(opened, CLEANUP)


def recorder_installed(opened: Session) -> bool:
    [(exists,)] = opened.query(RECORDER_EXISTS, (f"{names.RECORDER_SCHEMA}.statements",))
    return bool(exists)


def read_recording(opened: Session) -> Recording:
    schema = sql.Identifier(names.RECORDER_SCHEMA)
    rows = opened.query(sql.SQL(STATEMENTS).format(schema=schema))
    executions: dict[int, list[Execution]] = {}
    for id_, txid, event, tag, kind, identity, relation, count in opened.query(
        sql.SQL(EXECUTIONS).format(schema=schema)
    ):
        executions.setdefault(int(id_), []).append(
            Execution(int(txid), str(event), str(tag), str(kind), str(identity), tuple(relation), int(count))
        )
    return Recording(
        tuple(
            RecordedStatement(int(id_), str(query), tuple(path), tuple(executions.get(int(id_), ())))
            for id_, query, path in rows
        )
    )


def captured_writes(opened: Session, config: MappingConfig) -> tuple[CapturedWrites, ...]:
    """What Connect's triggers queued for Salesforce, per read-write mapped table."""
    tables = [m.table for m in config.mappings if m.access is Access.READ_WRITE]
    log = sql.Identifier(config.schema, "_trigger_log")
    by_action: dict[str, list[tuple[str, int]]] = {}
    for table, action, count in opened.query(sql.SQL(CAPTURED).format(log=log), (tables,)):
        by_action.setdefault(table, []).append((action, int(count)))
    return tuple(
        CapturedWrites(table, tuple(by_action.get(table, ())), int(count), tuple(ids))
        for table, count, ids in opened.query(sql.SQL(CAPTURED_ROWS).format(log=log), (tables,))
    )


def _run(opened: Session, statement: str) -> list[tuple[object, ...]]:
    try:
        return opened.query(statement)
    except DatabaseError as exc:
        raise ServiceError(f"the recorder in {opened.url}: {exc}") from None
