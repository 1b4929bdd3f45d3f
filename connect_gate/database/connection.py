"""Sessions on the review app's database: read-only by construction, bounded in time, counted.

The session settings travel in the connection's startup packet (libpq `options`), so they hold
from the first statement and cost no round trip; `default_transaction_read_only` makes every
transaction refuse writes, so no check can ever change the database it inspects.
"""

from __future__ import annotations

import select
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
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

    @property
    def answer_within_s(self) -> float:
        """How long we wait for any answer: the server's own statement timeout, plus a little, so a
        server that stops answering (a broken proxy, a wedged backend) cannot hold the run."""
        return self.statement_timeout_ms / 1000 + CLIENT_GRACE_S

    @classmethod
    def within(cls, seconds: int, read_only: bool = True) -> SessionLimits:
        """Limits for a database timeout of `seconds` (the `database-timeout` input)."""
        return cls(
            statement_timeout_ms=seconds * 1000,
            lock_timeout_ms=min(2_000, seconds * 1000),
            connect_timeout_s=max(1, min(10, seconds)),
            read_only=read_only,
        )


CLIENT_GRACE_S = 2.0
READ_ONLY_LIMITS = SessionLimits()
_deadline = threading.local()  # when the current wait must end (time.monotonic()), per thread


def _wait_within_deadline(connection: psycopg2.extensions.connection) -> None:
    """psycopg2's wait callback: every wait on the server (connecting, each query) ends at the
    deadline the session set, whatever the server does (libpq's own waits have no such bound)."""
    while True:
        state = connection.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        at: float | None = getattr(_deadline, "at", None)
        remaining = None if at is None else at - time.monotonic()
        if remaining is not None and remaining <= 0:
            _deadline.passed = True
            raise psycopg2.OperationalError(f"the database did not answer within {_deadline.seconds:g} s")
        if state == psycopg2.extensions.POLL_READ:
            select.select([connection.fileno()], [], [], remaining)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [connection.fileno()], [], remaining)
        else:  # pragma: no cover (psycopg2 defines no other state)
            raise psycopg2.OperationalError(f"unexpected state of the database connection: {state}")


@contextmanager
def _within(seconds: float) -> Iterator[None]:
    _deadline.at, _deadline.seconds, _deadline.passed = time.monotonic() + seconds, seconds, False
    try:
        yield
    finally:
        _deadline.at = None


psycopg2.extensions.set_wait_callback(_wait_within_deadline)


class Session:
    """One connection, and the number of SQL statements sent on it (for the benchmark)."""

    def __init__(
        self,
        url: DatabaseUrl,
        connection: psycopg2.extensions.connection,
        limits: SessionLimits = READ_ONLY_LIMITS,
    ) -> None:
        self.url = url
        self._connection = connection
        self._limits = limits
        self._lost = ""  # why the connection is gone: every later query fails at once with it
        self.statements = 0

    def __repr__(self) -> str:
        return f"Session({self.url.redacted!r}, statements={self.statements})"

    def query(self, sql: Query, params: Sequence[Any] | dict[str, Any] | None = None) -> list[Row]:
        """Run one statement and return its rows; errors are raised with the password masked."""
        self.statements += 1
        if self._lost:
            raise DatabaseLostError(self._lost)
        failure = ""
        try:
            with _within(self._limits.answer_within_s), self._connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall()) if cursor.description is not None else []
        except psycopg2.Error as exc:
            failure = self.url.scrub(str(exc).strip())
            if self._connection.closed or getattr(_deadline, "passed", False):
                # The server stopped answering or went away: the service failed, not one check.
                self._lost = f"the database at {self.url.redacted} stopped answering: {failure}"
                self.close()
                raise DatabaseLostError(self._lost) from None
        raise DatabaseError(failure)  # raised outside `except` so the driver's text is not chained

    def close(self) -> None:
        with suppress(psycopg2.Error):
            self._connection.close()


class DatabaseError(Exception):
    """A statement failed; the message is libpq's, with the password masked."""


class DatabaseLostError(ServiceError):
    """The connection is gone (no answer within the deadline, or closed by the server): exit 3."""


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
        # a peer that vanishes (no FIN, no RST) is noticed by TCP itself, not after hours
        keepalives=1,
        keepalives_idle=max(1, limits.connect_timeout_s),
        keepalives_interval=max(1, limits.connect_timeout_s // 3),
        keepalives_count=3,
        tcp_user_timeout=limits.connect_timeout_s * 1000,
    )
    failure: str | None = None
    try:
        with _within(limits.connect_timeout_s):
            connection = psycopg2.connect(**keywords)
            connection.autocommit = True  # one failing query must not abort the others' transaction
    except psycopg2.Error as exc:
        failure = url.scrub(str(exc).strip()) or type(exc).__name__
    if failure is not None:
        raise ServiceError(f"cannot connect to the database at {url.redacted}: {failure}")
    return Session(url, connection, limits)


@contextmanager
def session(url: DatabaseUrl, limits: SessionLimits = READ_ONLY_LIMITS) -> Iterator[Session]:
    opened = open_session(url, limits)
    try:
        yield opened
    finally:
        opened.close()
