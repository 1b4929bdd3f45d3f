"""Which migration file a recorded statement came from, and where in it.

Two ways, tried in order:
1. The statement's text is in the file: SQL files, and SQL written out in a framework's migration
   (`execute "..."`, `op.execute('''...''')`, `migrations.RunSQL(...)`, `knex.raw(...)`). The
   lines are compared without their indentation, so a heredoc or a triple-quoted string matches.
2. The framework's schema-migrations table: Rails (`schema_migrations.version`), Django
   (`django_migrations.app`, `.name`) and Knex (`knex_migrations.name`) record each migration
   after its statements ran, in the same transaction or (Django, after deferred constraints;
   Rails, `disable_ddl_transaction!`; Knex, each migration in its own transaction) the next one,
   and before the next migration starts. So a statement belongs to the first migration recorded,
   by the row's `xmin`, in its transaction or after it. (Alembic runs all migrations in one
   transaction by default, and so does Knex unless told otherwise: their migrations cannot be
   told apart, and their statements are not attributed.)
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from connect_gate.database.connection import DatabaseError, Session
from connect_gate.document import read_text
from connect_gate.errors import InputError
from connect_gate.migrations.discover import discover

# Rails' query log tags (`config.active_record.query_log_tags = [:source_location]`, Rails 7.2+):
# `/*source_location='db%2Fmigrate%2F..._backfill.rb%3A5%3Ain...'*/` (SQLCommenter, URL-encoded)
# or `/*source_location:db/migrate/..._backfill.rb:5:in ...*/` (the legacy format).
SOURCE_LOCATION = re.compile(r"source_location(?:='([^']*)'|:([^,*]*))")

MIN_MATCH = 12  # a shorter first line (`COMMIT`, `END`) is too common to say where a statement is from
MAX_FILE_BYTES = 1_000_000
# Framework migrations that may hold SQL, besides the `migrations` input's SQL patterns.
SOURCE_PATTERNS = (
    "**/db/migrate/*.rb",  # Rails
    "**/migrations/*.py",  # Django
    "**/versions/*.py",  # Alembic
    "**/migrations/*.js",  # Knex, Sequelize
    "**/migrations/*.ts",
    "**/migrations/*/migration.sql",  # Prisma
)
VERSION_TABLES = {
    # table → (glob of the migration's file under the repository, the transaction that inserted the row)
    "schema_migrations": "SELECT '**/db/migrate/' || version || '_*.rb', xmin::text::bigint FROM {table}",
    "django_migrations": (
        "SELECT '**/' || app || '/migrations/' || name || '.py', xmin::text::bigint FROM {table}"
    ),
    "knex_migrations": "SELECT '**/' || name, xmin::text::bigint FROM {table}",
}


@dataclass(frozen=True, slots=True)
class MigrationFile:
    path: str  # relative to the repository
    text: str
    lines: tuple[str, ...]
    kept: tuple[tuple[int, str], ...]  # (index, stripped text) of the lines that are not blank

    @classmethod
    def of(cls, path: str, text: str) -> MigrationFile:
        lines = tuple(text.splitlines())
        return cls(
            path, text, lines, tuple((n, line.strip()) for n, line in enumerate(lines) if line.strip())
        )


@dataclass(frozen=True, slots=True)
class Placement:
    """Where each line of a statement's text is in a file: (file line, column shift), 1-based lines."""

    file: str
    lines: tuple[tuple[int, int], ...]  # indexed by the statement's line - 1

    def line(self, statement_line: int) -> tuple[int, int]:
        return self.lines[min(max(statement_line, 1), len(self.lines)) - 1]


def migration_files(root: Path, patterns: Sequence[str]) -> tuple[MigrationFile, ...]:
    found = discover((*patterns, *SOURCE_PATTERNS), root).files
    files = []
    for path in found:
        if path.stat().st_size > MAX_FILE_BYTES:
            continue
        try:
            text = read_text(path, "migration file")
        except InputError:  # not UTF-8: it cannot hold a statement we recorded
            continue
        files.append(MigrationFile.of(path.relative_to(root).as_posix(), text))
    return tuple(files)


def locate(query: str, files: Sequence[MigrationFile]) -> Placement | None:
    """The first file holding the statement's text, line by line (indentation aside), or None.

    The search starts from the first line long enough to tell (`DO $$` is not), and the lines
    before it must match too: the first may end a line of the file (`op.execute('''DO $$`), the
    last may start one.
    """
    lines = query.splitlines()
    wanted = [(number, line.strip()) for number, line in enumerate(lines) if line.strip()]
    anchor = next((i for i, (_n, text) in enumerate(wanted) if len(text) >= MIN_MATCH), None)
    if anchor is None:
        return None
    needle = wanted[anchor][1]
    for candidate in files:
        if needle not in candidate.text:
            continue
        kept = candidate.kept
        for at, (_number, text) in enumerate(kept):
            start = at - anchor
            if start >= 0 and needle in text and _rest_matches(wanted, kept[start:]):
                return _placement(candidate, lines, wanted, kept[start:])
    return None


def _rest_matches(wanted: list[tuple[int, str]], kept: Sequence[tuple[int, str]]) -> bool:
    if len(kept) < len(wanted):
        return False
    last = len(wanted) - 1
    return all(
        kept[i][1] == text or (i == last and text in kept[i][1]) or (i == 0 and kept[i][1].endswith(text))
        for i, (_n, text) in enumerate(wanted)
    )


def _placement(
    candidate: MigrationFile, lines: list[str], wanted: list[tuple[int, str]], kept: Sequence[tuple[int, str]]
) -> Placement:
    at: dict[int, tuple[int, int]] = {}
    for (query_line, text), (file_line, _) in zip(wanted, kept, strict=False):
        shift = candidate.lines[file_line].find(text) - lines[query_line].find(text)
        at[query_line] = (file_line + 1, shift)
    placed: list[tuple[int, int]] = []
    following = at[wanted[-1][0]]
    for number in reversed(range(len(lines))):  # a blank line of the text takes the next line's place
        following = at.get(number, following)
        placed.append(following)
    return Placement(candidate.path, tuple(reversed(placed)))


def source_line(query: str, migration: str) -> int | None:
    """The line of `migration` that sent `query`, when the statement's comment names it."""
    match = SOURCE_LOCATION.search(query)
    if match is None:
        return None
    path, _, rest = unquote(match.group(1) or match.group(2) or "").strip().partition(":")
    line = rest.partition(":")[0]
    if not line.isdigit() or not (path == migration or path.endswith("/" + migration)):
        return None
    return int(line)


def migration_versions(opened: Session) -> dict[int, str | None]:
    """Transaction id (32 bits, as `xmin`) → glob of the migration file that ran in it.

    A transaction that recorded several migrations (Knex's default: one transaction for the whole
    batch) cannot tell whose its statements were: it maps to None, and they are not attributed.
    """
    found: dict[int, str | None] = {}
    for table, query in VERSION_TABLES.items():
        try:
            [(name,)] = opened.query("SELECT to_regclass(%s)::text", (table,))
            if name is None:
                continue
            for pattern, xmin in opened.query(query.format(table=name)):
                found[int(xmin)] = None if int(xmin) in found else str(pattern)
        except DatabaseError:  # a table of that name that is not the framework's: nothing to learn
            continue
    return found


def version_pattern(txid: int, versions: dict[int, str | None], recorded: Sequence[int]) -> str | None:
    """The glob of the migration file transaction `txid` belongs to, by the framework's naming.

    `recorded` is `versions`' keys, sorted.
    """
    at = bisect_left(recorded, txid % 2**32)  # a fresh sandbox is far from transaction id wraparound
    if at == len(recorded):
        return None  # after the last migration: not one of them
    return versions[recorded[at]]


def pattern_file(pattern: str, root: Path) -> str | None:
    """The first file under `root` that `pattern` matches, relative to it."""
    files = discover((pattern,), root).files
    return files[0].relative_to(root).as_posix() if files else None
