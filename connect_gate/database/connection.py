"""Sessions on the review app's database: read-only by construction, bounded in time, counted.

The session settings travel in the connection's startup packet (libpq `options`), so they hold
from the first statement and cost no round trip; `default_transaction_read_only` makes every
transaction refuse writes, so no check can ever change the database it inspects.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeAlias

import psycopg2
import psycopg2.extensions
import psycopg2.sql

from connect_gate.database.url import DatabaseUrl
from connect_gate.errors import ServiceError

APPLICATION_NAME = "connect-gate"

Query: TypeAlias = str | psycopg2.sql.Composable
Row: TypeAlias = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class SessionLimits:
    statement_timeout_ms: int = 30_000
    lock_timeout_ms: int = 2_000
    connect_timeout_s: int = 10
    read_only: bool = True


READ_ONLY_LIMITS = SessionLimits()


class Session:
    """One connection, and the number of SQL statements sent on it (for the benchmark)."""

    def __init__(self, url: DatabaseUrl, connection: psycopg2.extensions.connection) -> None:
        self.url = url
        self._connection = connection
        self.statements = 0

    def __repr__(self) -> str:
        return f"Session({self.url.redacted!r}, statements={self.statements})"

    def query(self, sql: Query, params: Sequence[Any] | dict[str, Any] | None = None) -> list[Row]:
        """Run one statement and return its rows; errors are raised with the password masked."""
        self.statements += 1
        failure = ""
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall()) if cursor.description is not None else []
        except psycopg2.Error as exc:
            failure = self.url.scrub(str(exc).strip())
        raise DatabaseError(failure)  # raised outside `except` so the driver's text is not chained

    def close(self) -> None:
        self._connection.close()


class DatabaseError(Exception):
    """A statement failed; the message is libpq's, with the password masked."""


def session_options(limits: SessionLimits) -> str:
    settings = {
        "statement_timeout": str(limits.statement_timeout_ms),
        "lock_timeout": str(limits.lock_timeout_ms),
        "default_transaction_read_only": "on" if limits.read_only else "off",
    }
    return " ".join(f"-c {name}={value}" for name, value in settings.items())


def open_session(url: DatabaseUrl, limits: SessionLimits = READ_ONLY_LIMITS) -> Session:
    """Connect, or raise ServiceError naming the redacted URL and libpq's reason (password masked)."""
    keywords: dict[str, Any] = url.keywords()
    user_options = keywords.pop("options", "")
    keywords.update(
        options=f"{user_options} {session_options(limits)}".strip(),
        application_name=APPLICATION_NAME,
        connect_timeout=limits.connect_timeout_s,
    )
    failure: str | None = None
    try:
        connection = psycopg2.connect(**keywords)
    except psycopg2.Error as exc:
        failure = url.scrub(str(exc).strip()) or type(exc).__name__
    if failure is not None:
        raise ServiceError(f"cannot connect to the database at {url.redacted}: {failure}")
    connection.autocommit = True  # one failing query must not abort the others' transaction
    return Session(url, connection)


@contextmanager
def session(url: DatabaseUrl, limits: SessionLimits = READ_ONLY_LIMITS) -> Iterator[Session]:
    opened = open_session(url, limits)
    try:
        yield opened
    finally:
        opened.close()
