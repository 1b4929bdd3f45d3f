"""What happened to the writes to Salesforce: `_trigger_log` and the rows' `_hc_lastop`.

One query each. The `_trigger_log` counts filter on `state` first, the leading column of
Connect's own indexes (`_trigger_log_idx_state_id`, the partial `_trigger_log_idx_state_table_name`
on NEW/PENDING, `_trigger_log_archive_idx_state_table_name` on FAILED). Processed rows move to
`_trigger_log_archive`, so failures are looked for in both tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from psycopg2 import sql

from connect_gate.database.connection import Session

SAMPLES = 3
SAMPLE_LENGTH = 300

FAILED_IN = """SELECT table_name, sf_message FROM {table}
    WHERE state = 'FAILED' AND created_at >= now() - make_interval(hours => %(hours)s)"""

FAILED_WRITES = f"""
SELECT table_name, count(*),
       (array_agg(DISTINCT left(sf_message, {SAMPLE_LENGTH}))
            FILTER (WHERE sf_message IS NOT NULL))[1:{SAMPLES}]
FROM ({{failed}}) AS failed GROUP BY table_name ORDER BY table_name
"""

BACKLOG = """
SELECT table_name, state, count(*), min(created_at) FROM {table}
WHERE state IN ('NEW', 'PENDING') AND created_at < now() - make_interval(mins => %(minutes)s)
GROUP BY table_name, state ORDER BY table_name, state
"""

ROW_FAILURES = f"""SELECT {{name}}, count(*),
    (array_agg(DISTINCT left(_hc_err, {SAMPLE_LENGTH})) FILTER (WHERE _hc_err IS NOT NULL))[1:{SAMPLES}]
    FROM {{table}} WHERE _hc_lastop = 'FAILED'"""


@dataclass(frozen=True, slots=True)
class Failures:
    """Failed writes of one table: how many, and a few distinct messages."""

    table: str
    count: int
    samples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Backlog:
    """Changes of one table still waiting to be written to Salesforce."""

    table: str
    by_state: tuple[tuple[str, int], ...]  # (NEW, 3), (PENDING, 2)
    oldest: datetime

    @property
    def count(self) -> int:
        return sum(count for _state, count in self.by_state)


def failed_writes_query(schema: str, log_tables: Iterable[str]) -> sql.Composed:
    failed = sql.SQL(" UNION ALL ").join(
        sql.SQL(FAILED_IN).format(table=sql.Identifier(schema, table)) for table in log_tables
    )
    return sql.SQL(FAILED_WRITES).format(failed=failed)


def backlog_query(schema: str) -> sql.Composed:
    return sql.SQL(BACKLOG).format(table=sql.Identifier(schema, "_trigger_log"))


def failed_writes(
    session: Session, schema: str, log_tables: Iterable[str], hours: int
) -> tuple[Failures, ...]:
    """FAILED rows created in the last `hours`, in `_trigger_log` and `_trigger_log_archive`."""
    rows = session.query(failed_writes_query(schema, log_tables), {"hours": hours})
    return tuple(Failures(table, count, tuple(samples or ())) for table, count, samples in rows)


def backlog(session: Session, schema: str, minutes: int) -> tuple[Backlog, ...]:
    """NEW/PENDING rows of `_trigger_log` older than `minutes`, per table."""
    rows = session.query(backlog_query(schema), {"minutes": minutes})
    grouped: dict[str, list[tuple[str, int, datetime]]] = {}
    for table, state, count, oldest in rows:
        grouped.setdefault(table, []).append((state, count, oldest))
    return tuple(
        Backlog(table, tuple((state, count) for state, count, _ in items), min(item[2] for item in items))
        for table, items in grouped.items()
    )


def row_failures(session: Session, schema: str, tables: Iterable[str]) -> tuple[Failures, ...]:
    """Rows whose `_hc_lastop` is FAILED, per table: one statement for all tables."""
    parts = [
        sql.SQL(ROW_FAILURES).format(name=sql.Literal(table), table=sql.Identifier(schema, table))
        for table in sorted(tables)
    ]
    if not parts:
        return ()
    rows = session.query(sql.SQL(" UNION ALL ").join(parts))
    return tuple(Failures(table, count, tuple(samples or ())) for table, count, samples in rows if count)
