"""Judge what the migrations did to the sandbox: the recorder's statements, the queued writes, the end state.

- Every recorded statement text goes through the migration rules (`analyse_sql`), with the
  schemas its names resolved through when it ran, so an ORM's `ALTER TABLE ... REFERENCES
  "salesforce"."account"` is reported by the same rule as the SQL file's. A finding names the
  migration file (and line) the statement came from when it can be traced (trace.py), else it
  quotes the statement.
- Rows that Connect's triggers queued for Salesforce (`_trigger_log`, NEW) are counted per
  read-write mapped table (`rows-queued-for-salesforce`).
- The database checks run on the end state.

One read-only session; the database is a throwaway, so TLS is not required (add `sslmode` to the
URL to ask for it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pglast import parser

from checks.sandbox import rows_queued_for_salesforce
from connect_gate.database.connection import READ_ONLY_LIMITS, DatabaseError, Session, SessionLimits, session
from connect_gate.database.names import RECORDER_SCHEMA
from connect_gate.database.run import check_database
from connect_gate.database.state import CheckOptions
from connect_gate.database.url import parse_url
from connect_gate.errors import InputError, ServiceError
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.analyse import WaivedFinding, analyse_sql
from connect_gate.migrations.context import DEFAULT_SEARCH_PATH
from connect_gate.sandbox.place import SANDBOX, placer
from connect_gate.sandbox.recorder import (
    CapturedWrites,
    RecordedStatement,
    Recording,
    captured_writes,
    read_recording,
    recorder_installed,
)
from connect_gate.sandbox.trace import (
    MigrationFile,
    locate,
    migration_files,
    migration_versions,
    version_file,
)


@dataclass(frozen=True, slots=True)
class SandboxResult:
    findings: tuple[Finding, ...]
    waived: tuple[WaivedFinding, ...]  # statements waived inline in their migration's SQL
    note: str  # what was judged, for the log


@dataclass(frozen=True, slots=True)
class _Read:
    recording: Recording
    writes: tuple[CapturedWrites, ...] | str  # or why they could not be read
    versions: dict[int, str]
    database: list[Finding]


@dataclass(frozen=True, slots=True)
class _Judged:
    """The migration rules' findings on one recorded statement, placed."""

    findings: tuple[Finding, ...] = ()
    waived: tuple[WaivedFinding, ...] = ()
    traced: bool = False  # to a migration file


def check_sandbox(
    url: str,
    config: MappingConfig,
    root: Path,
    patterns: Sequence[str],
    *,
    options: CheckOptions | None = None,
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    changed: set[str] | None = None,
    limits: SessionLimits = READ_ONLY_LIMITS,
) -> SandboxResult:
    """Read the sandbox at `url` and judge it; `patterns` are the SQL migration globs under `root`.

    With `changed` (the files the pull request changed), a finding traced to a migration file the
    pull request did not change is left out: the sandbox ran every migration, old ones too.
    """
    with session(parse_url(url, "sandbox-url"), limits) as opened:
        read = _read(opened, config, options or CheckOptions())
    tracer = _Tracer(root, tuple(patterns), read.versions)
    shapes = _one_per_shape(read.recording.statements)
    judged = [_judge(statement, config, search_path, tracer) for statement in shapes]
    findings: list[Finding] = []
    left_out = 0
    for finding in (finding for one in judged for finding in one.findings):
        if changed is not None and finding.scope.kind is ScopeKind.FILE and finding.scope.name not in changed:
            left_out += 1
        else:
            findings.append(finding)
    recorded = len(read.recording.statements)
    note = (
        f"sandbox: {recorded} distinct statement(s) recorded ({read.recording.commands} command(s)), "
        f"{sum(1 for one in judged if one.findings or one.waived)} with findings, "
        f"{sum(1 for one in judged if one.traced)} of them traced to a migration file; "
        "database checks run on the end state"
    )
    if len(shapes) < recorded:
        note += f"; {recorded - len(shapes)} differing from an earlier one only in constants judged with it"
    if left_out:
        note += f"; {left_out} finding(s) in migration files the pull request did not change left out"
    return SandboxResult(
        (*findings, *_queued(read.writes, config), *read.database),
        tuple(waived for one in judged for waived in one.waived),
        note,
    )


def _one_per_shape(statements: Sequence[RecordedStatement]) -> list[RecordedStatement]:
    """The first of the statements that differ only in constants (an ORM's row-by-row INSERTs).

    They break the same rules on the same tables: judging each would repeat one finding per row.
    """
    seen: set[tuple[str, tuple[str, ...]]] = set()
    kept = []
    for statement in statements:
        try:
            shape = parser.fingerprint(statement.query)
        except parser.ParseError:
            shape = statement.query
        if (shape, statement.search_path) not in seen:
            seen.add((shape, statement.search_path))
            kept.append(statement)
    return kept


def _read(opened: Session, config: MappingConfig, options: CheckOptions) -> _Read:
    try:
        if not recorder_installed(opened):
            raise InputError(
                f"sandbox-url: {opened.url} has no recorder (schema {RECORDER_SCHEMA}): run "
                "`connect-gate seed --record` on it before the migrations"
            )
        recording = read_recording(opened)
        versions = migration_versions(opened)
    except DatabaseError as exc:
        raise ServiceError(f"sandbox-url: cannot read the recorder in {opened.url}: {exc}") from None
    writes: tuple[CapturedWrites, ...] | str
    try:
        writes = captured_writes(opened, config)
    except DatabaseError as exc:
        writes = str(exc)
    return _Read(recording, writes, versions, check_database(opened, config, options, SANDBOX))


def _judge(
    statement: RecordedStatement,
    config: MappingConfig,
    search_path: Sequence[str],
    tracer: _Tracer,
) -> _Judged:
    analysis = analyse_sql(statement.query, SANDBOX, config, statement.search_path or search_path)
    if not analysis.findings and not analysis.waived:
        return _Judged()
    placement = locate(statement.query, tracer.files())
    migration = None if placement else tracer.migration(statement.txid)
    place = placer(statement.query, placement, migration)
    return _Judged(
        tuple(place(f) for f in analysis.findings),
        tuple(WaivedFinding(place(w.finding), w.reason) for w in analysis.waived),
        bool(placement or migration),
    )


@dataclass(frozen=True, slots=True)
class _Tracer:
    """Finds where statements came from; the repository is read once, and only if a statement needs it."""

    root: Path
    patterns: tuple[str, ...]
    versions: dict[int, str]  # the frameworks' record of which migration ran in which transaction
    read: list[tuple[MigrationFile, ...]] = dataclasses.field(default_factory=list)
    migrations: dict[int, str | None] = dataclasses.field(default_factory=dict)

    def files(self) -> tuple[MigrationFile, ...]:
        if not self.read:
            self.read.append(migration_files(self.root, self.patterns))
        return self.read[0]

    def migration(self, txid: int) -> str | None:
        if txid not in self.migrations:
            self.migrations[txid] = version_file(txid, self.versions, self.root)
        return self.migrations[txid]


def _queued(writes: tuple[CapturedWrites, ...] | str, config: MappingConfig) -> Iterator[Finding]:
    check = rows_queued_for_salesforce.CHECK

    def finding(scope: Scope, status: Status, message: str) -> Finding:
        return Finding(Source.DATABASE, check.id, check.title, scope, status, message)

    schema_wide = Scope(ScopeKind.DATABASE, config.schema, SANDBOX)
    if isinstance(writes, str):
        yield finding(schema_wide, Status.ERROR, f"{check.id} could not run: {writes}")
        return
    problems = list(rows_queued_for_salesforce.find(writes, config))
    if not problems:
        yield finding(
            schema_wide,
            Status.GREEN,
            f"no rows of a read-write mapping were queued for Salesforce in {config.schema}._trigger_log",
        )
    for name, message in problems:
        yield finding(Scope(ScopeKind.MAPPING, name, SANDBOX), check.status, message)
