"""Which migration tool runs a file, and whether it runs a statement of it inside a transaction block.

PostgreSQL refuses some statements inside a transaction block, and a block need not be written in
the file: most tools open one around the whole file, and PostgreSQL itself runs a query string of
several statements, sent at once, as one implicit transaction
(https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT). What each
tool does, read in its own source:

- goose runs a SQL file's statements, one `Exec` each, in one transaction unless the file has a
  `-- +goose NO TRANSACTION` line, anywhere in it, without leading white space
  (https://github.com/pressly/goose/blob/main/internal/sqlparser/parser.go, `ParseSQLMigration`;
  https://github.com/pressly/goose/blob/main/migration_sql.go).
- dbmate runs each `-- migrate:up` block in a transaction unless its marker line says
  `transaction:false`; either way the block goes to PostgreSQL as one query string through lib/pq
  (https://github.com/amacneil/dbmate/blob/main/pkg/dbmate/migration.go, `parseMigrationOptions`;
  https://github.com/amacneil/dbmate/blob/main/pkg/dbmate/db.go, `Migrate`), so a block of several
  statements is still one implicit transaction.
- golang-migrate's `postgres` driver sends the whole file as one query string, unless the database
  URL says `x-multi-statement=true` (then it splits on `;` and sends them one by one)
  (https://github.com/golang-migrate/migrate/blob/master/database/postgres/postgres.go, `Run`).
- Flyway runs each statement on its own, in one transaction per migration, but its PostgreSQL
  parser knows `CREATE`/`DROP INDEX CONCURRENTLY`, `VACUUM` and a few others cannot run in one (not
  `REINDEX TABLE|INDEX ... CONCURRENTLY`, which it runs in the transaction like any other): a
  migration made only of those runs without a transaction; one that mixes them with other
  statements is refused ("Detected both transactional and non-transactional statements") unless
  `mixed` is set; a `<file>.sql.conf` beside the file with `executeInTransaction` overrides both
  (https://github.com/flyway/flyway/blob/main/flyway-database/flyway-database-postgresql/src/main/java/org/flywaydb/database/postgresql/PostgreSQLParser.java,
  `detectCanExecuteInTransaction`;
  https://github.com/flyway/flyway/blob/main/flyway-core/src/main/java/org/flywaydb/core/internal/sqlscript/ParserSqlScript.java).
- Prisma has no switch. Its schema engine sent `migration.sql` as one query string until it
  learnt to split scripts into statements (https://github.com/prisma/prisma-engines/pull/5767,
  February 2026); which one runs depends on the Prisma version, so the gate only says what to check.

The tool is told from what the gate sees: goose's and dbmate's annotations, then the file name
(`*.up.sql`: golang-migrate; `V*__*.sql`: Flyway; `migrations/*/migration.sql`: Prisma). Any
other file is run by psql, one statement at a time: only its own `BEGIN` counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from connect_gate.document import read_text
from connect_gate.errors import InputError

_GOOSE_UP = re.compile(r"^--[ \t]*\+goose[ \t]+up[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_GOOSE_NO_TRANSACTION = re.compile(
    r"^--[ \t]*\+goose[ \t]+no transaction[ \t]*\r?$", re.IGNORECASE | re.MULTILINE
)
_DBMATE_UP = re.compile(rb"^--[ \t]*migrate:up(?![^ \t\r\n])([^\n]*)", re.MULTILINE)
_FLYWAY_NAME = re.compile(r"(?:V.+?|R)__.+\.sql")  # V1_1__add.sql, V2024.01__x.sql, R__view.sql
# Flyway's own list of statements PostgreSQL runs outside a transaction (PostgreSQLParser.java)
_FLYWAY_NON_TRANSACTIONAL = re.compile(
    r"(?:(?:CREATE|DROP)(?: UNIQUE)? INDEX CONCURRENTLY|(?:CREATE|DROP) (?:DATABASE|TABLESPACE|SUBSCRIPTION)"
    r"|ALTER SYSTEM|REINDEX(?: VERBOSE)? (?:SCHEMA|DATABASE|SYSTEM)|VACUUM|DISCARD ALL)\b"
)
_FLYWAY_SETTING = re.compile(r"^[ \t]*executeInTransaction[ \t]*[=:][ \t]*(\S+)", re.MULTILINE)
_COMMENTS = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/)+", re.DOTALL)

_REFUSED = "where PostgreSQL refuses it and the migration fails"
_SEVERAL = "PostgreSQL runs a query string of several statements as one transaction and refuses it there"


class Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class ToolFile:
    """One migration file as its tool runs it (looked at only when a rule asks)."""

    name: str  # repository-relative, `/`-separated
    text: str  # as written: goose reads its annotations in the down section too
    data: bytes  # the prepared text the statements' byte offsets refer to
    items: Sequence[Span]  # the file's statements, in order
    path: Path | None = None  # to find Flyway's `<file>.sql.conf`

    def transaction(self, start: int, end: int) -> str:
        """Why the tool runs the statement at `start`..`end` inside a transaction block, and how to
        avoid it; '' when it does not (or when psql runs the file)."""
        return _reason(self, start, end)


def _reason(file: ToolFile, start: int, end: int) -> str:
    if _GOOSE_UP.search(file.text):
        if _GOOSE_NO_TRANSACTION.search(file.text):
            return ""
        return (
            f"goose runs this file in a transaction, {_REFUSED}: add `-- +goose NO TRANSACTION` to the file."
        )
    ups = [(marker.start(), marker.group(1)) for marker in _DBMATE_UP.finditer(file.data)]
    if ups:
        return _dbmate(file, ups, end)
    name = PurePosixPath(file.name)
    others = len(file.items) > 1
    if name.name.endswith(".up.sql"):
        return (
            f"golang-migrate's postgres driver sends this file as one query string: {_SEVERAL}. "
            "Move it into a migration of its own (or add `x-multi-statement=true` to the database URL, "
            "which sends the statements one by one)."
            if others
            else ""
        )
    if _FLYWAY_NAME.fullmatch(name.name):
        return _flyway(file, start, end)
    if name.name == "migration.sql" and len(name.parts) >= 3 and name.parts[-3] == "migrations" and others:
        return (
            "Prisma's schema engine, before it split scripts into statements (prisma/prisma-engines#5767, "
            f"February 2026), sent migration.sql as one query string: {_SEVERAL}. Check the Prisma version "
            "`prisma migrate deploy` runs, or move it into a migration of its own."
        )
    return ""


def _dbmate(file: ToolFile, ups: list[tuple[int, bytes]], end: int) -> str:
    block = [i for i, (at, _) in enumerate(ups) if at < end]
    if not block:
        return ""  # before the first block: dbmate refuses the file, another rule's business
    number = block[-1]
    options = dict(pair.split(b":") for pair in ups[number][1].split() if pair.count(b":") == 1)
    if options.get(b"transaction") != b"false":
        return (
            f"dbmate runs this `-- migrate:up` block in a transaction, {_REFUSED}: write "
            "`-- migrate:up transaction:false`, with this statement alone in its block."
        )
    upper = ups[number + 1][0] if number + 1 < len(ups) else len(file.data)
    if sum(ups[number][0] < item.end <= upper for item in file.items) > 1:
        return (
            f"dbmate sends the `-- migrate:up` block as one query string, even with `transaction:false`: "
            f"{_SEVERAL}. Move it into a migration of its own."
        )
    return ""


def _flyway(file: ToolFile, start: int, end: int) -> str:
    setting = _flyway_setting(file.path)
    conf = f"{PurePosixPath(file.name).name}.conf"
    if setting == "true":
        return (
            f"{conf} sets `executeInTransaction=true`, so Flyway runs this file in a transaction, {_REFUSED}."
        )
    if setting is not None:
        return ""
    if not _FLYWAY_NON_TRANSACTIONAL.match(_simplified(file.data[start:end])):  # REINDEX TABLE CONCURRENTLY
        return (
            "Flyway's parser does not know it cannot run in a transaction (of REINDEX it knows only `REINDEX "
            "SCHEMA|DATABASE|SYSTEM`), so Flyway runs it in the migration's transaction (or refuses the "
            f"migration, beside statements it runs outside one), {_REFUSED}: set "
            f"`executeInTransaction=false` in {conf}."
        )
    mixed = any(
        not _FLYWAY_NON_TRANSACTIONAL.match(_simplified(file.data[item.start : item.end]))
        for item in file.items
        if item.start != start
    )
    if not mixed:
        return ""  # Flyway runs a migration of such statements alone outside a transaction
    return (
        'Flyway refuses a migration that mixes it with statements it runs in a transaction ("Detected both '
        'transactional and non-transactional statements"; with `mixed=true` it runs none of them in one). '
        f"Move it into a migration of its own, or set `executeInTransaction=false` in {conf}."
    )


_CONF_LIMIT = 64 * 1024  # bytes: a script configuration is a few lines


def _flyway_setting(path: Path | None) -> str | None:
    """`executeInTransaction` in the `.conf` beside a Flyway migration, lower case; None without one.

    The pull request may make that name a FIFO (opening it would wait forever), a device or a link
    to one (/dev/zero would fill the memory): only a regular file of at most 64 KiB is read, as
    Flyway's default applies when there is none.
    """
    if path is None:
        return None
    try:
        text = read_text(path.with_name(path.name + ".conf"), "Flyway's script configuration", _CONF_LIMIT)
    except InputError:  # missing, not a regular file, too big or not UTF-8
        return None
    found = _FLYWAY_SETTING.findall(text)
    return found[-1].lower() if found else None


def _simplified(statement: bytes) -> str:
    """A statement as Flyway's parser compares it: comments dropped, white space single, upper case."""
    return _COMMENTS.sub(" ", statement.decode("utf-8", errors="replace")).strip().upper()
