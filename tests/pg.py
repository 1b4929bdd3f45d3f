"""A throwaway PostgreSQL 15 for the test session.

`TEST_DATABASE_URL` (a role that may create databases) is used when set. Otherwise a cluster is
initdb'ed into a temporary directory (as the `postgres` user when we run as root, since PostgreSQL
refuses to run as root), started on 127.0.0.1 on a free port with its unix socket in that
directory, and deleted at the end. Tests connect over TCP as a role with a known password, so
password authentication (and its error messages) is real. No database is a failure, never a skip.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg2
import psycopg2.extensions

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
TEST_ROLE = "gate_test"
SERVER_SETTINGS = ("fsync=off", "full_page_writes=off", "synchronous_commit=off", "max_connections=40")


class NoDatabaseError(RuntimeError):
    """No PostgreSQL could be had: the database tests fail with this message."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str  # the role tests connect as (owner of their databases)
    password: str = field(repr=False)
    admin: dict[str, str] = field(repr=False)  # libpq keywords of a role that creates databases
    prefix: str = "cg"  # database names start with it, unique per session

    def url(self, dbname: str, password: str | None = None) -> str:
        secret = quote(self.password if password is None else password, safe="")
        return f"postgresql://{quote(self.user, safe='')}:{secret}@{self.host}:{self.port}/{dbname}"

    def admin_connection(self, dbname: str = "postgres") -> psycopg2.extensions.connection:
        keywords: dict[str, Any] = {**self.admin, "dbname": dbname}
        connection: psycopg2.extensions.connection = psycopg2.connect(**keywords)
        connection.autocommit = True
        return connection

    def query(self, sql: str, dbname: str = "postgres") -> list[tuple[Any, ...]]:
        """Run `sql` as the administrator; its rows, if it returns any."""
        connection = self.admin_connection(dbname)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall()) if cursor.description else []
        finally:
            connection.close()

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        self.query(sql, dbname)

    def create_database(self, name: str, template: str = "template1") -> None:
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER "{self.user}"')

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def test_server() -> Iterator[Server]:
    """The session's server: TEST_DATABASE_URL, else a local throwaway cluster."""
    prefix = f"cg_{secrets.token_hex(3)}"
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield _server_from_url(given, prefix)
        return
    with _local_cluster(prefix) as server:
        yield server


def _server_from_url(url: str, prefix: str) -> Server:
    from connect_gate.database.url import parse_url

    parsed = parse_url(url, "TEST_DATABASE_URL")
    server = Server(
        parsed.host or "127.0.0.1",
        parsed.port or 5432,
        parsed.user,
        parsed.password,
        parsed.keywords(),
        prefix,
    )
    try:
        server.admin_connection(parsed.dbname or "postgres").close()
    except psycopg2.Error as exc:
        raise NoDatabaseError(
            f"TEST_DATABASE_URL ({parsed}) does not answer: {parsed.scrub(str(exc))}"
        ) from None
    return server


@contextmanager
def _local_cluster(prefix: str) -> Iterator[Server]:
    if not (PG_BIN / "initdb").exists():
        raise NoDatabaseError(
            f"set TEST_DATABASE_URL, or install PostgreSQL 15 so that {PG_BIN / 'initdb'} exists "
            "(apt-get install postgresql-15)"
        )
    root = Path(tempfile.mkdtemp(prefix="connect-gate-pg-"))
    owner = _cluster_owner()
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data, sockets = root / "data", root / "sockets"
    try:
        _run_as(owner, ["mkdir", str(sockets)])
        _run_as(
            owner,
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ],
        )
        port = _start(owner, data, sockets, root / "server.log")
        password = f"pw-{secrets.token_hex(8)}@:/% x"  # URL-hostile characters, on purpose
        admin = {"host": str(sockets), "port": str(port), "user": SUPERUSER, "dbname": "postgres"}
        server = Server("127.0.0.1", port, TEST_ROLE, password, admin, prefix)
        connection = server.admin_connection()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {TEST_ROLE} LOGIN PASSWORD %s", (password,))
        connection.close()
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            _run_as(owner, [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], check=False)
        shutil.rmtree(root, ignore_errors=True)


def _cluster_owner() -> pwd.struct_passwd | None:
    """The user the cluster runs as: `postgres` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise NoDatabaseError(
            "running as root, but there is no `postgres` user to run PostgreSQL as"
        ) from None


def _run_as(owner: pwd.struct_passwd | None, command: list[str], check: bool = True) -> None:
    full = ["runuser", "-u", owner.pw_name, "--", *command] if owner is not None else command
    try:
        result = subprocess.run(full, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise NoDatabaseError(f"cannot run `{full[0]}`: {exc.strerror}") from None
    if check and result.returncode != 0:
        raise NoDatabaseError(f"`{' '.join(command)}` failed ({result.returncode}): {result.stderr.strip()}")


def _start(owner: pwd.struct_passwd | None, data: Path, sockets: Path, log: Path) -> int:
    """Start on a free port (a port taken between our probe and the start is retried)."""
    failure = ""
    for _attempt in range(3):
        port = _free_port()
        settings = [
            f"port={port}",
            "listen_addresses=127.0.0.1",
            f"unix_socket_directories={sockets}",
            *SERVER_SETTINGS,
        ]
        options = " ".join(f"-c {setting}" for setting in settings)
        command = [
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-t",
            "30",
            "-o",
            options,
            "start",
        ]
        try:
            _run_as(owner, command)
            return port
        except NoDatabaseError as exc:
            failure = f"{exc}\n{log.read_text(errors='replace')[-2000:] if log.exists() else ''}"
    raise NoDatabaseError(f"PostgreSQL did not start: {failure}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
