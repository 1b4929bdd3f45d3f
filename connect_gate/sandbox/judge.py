"""Judge what the migrations did to the sandbox: the recorder's statements, the queued writes, the end state.

- Every recorded statement is judged once per migration that ran it (each command the recorder
  logged carries its own transaction, which the framework's schema-migrations table ties to a
  migration): its text goes through the migration rules (`analyse_sql`), with the schemas its
  names resolved through when it ran, so an ORM's `ALTER TABLE ... REFERENCES
  "salesforce"."account"` is reported by the same rule as the SQL file's; and what it did to
  Connect's tables (effects.py) is judged whatever code did it (a DO block, a function, a
  trigger). A finding names the migration file (and line) the statement came from when it can be
  traced (trace.py), else it quotes the statement.
- Rows that Connect's triggers queued for Salesforce (`_trigger_log`, NEW) are counted per
  read-write mapped table (`rows-queued-for-salesforce`).
- The database checks run on the end state.

One read-only session; the database is a throwaway, so TLS is not required (add `sslmode` to the
URL to ask for it).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pglast import parser

from connect_gate.check import Reads, findings_of, stamp
from connect_gate.checks import of_kind
from connect_gate.database.connection import READ_ONLY_LIMITS, DatabaseError, Session, SessionLimits, session
from connect_gate.database.names import RECORDER_SCHEMA
from connect_gate.database.run import check_database
from connect_gate.database.state import CheckOptions
from connect_gate.database.url import parse_url
from connect_gate.errors import InputError, ServiceError
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Status, WaivedFinding
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.analyse import Analysis, analyse_sql
from connect_gate.migrations.context import DEFAULT_SEARCH_PATH
from connect_gate.sandbox.effects import Effect, effects, unexplained
from connect_gate.sandbox.place import SANDBOX, placer
from connect_gate.sandbox.recorder import (
    CapturedWrites,
    Execution,
    RecordedStatement,
    Recording,
    captured_writes,
    read_recording,
    recorder_installed,
)
from connect_gate.sandbox.trace import (
    MigrationFile,
    Placement,
    locate,
    migration_files,
    migration_versions,
    pattern_file,
    source_line,
    version_pattern,
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
    versions: dict[int, str | None]
    database: list[Finding]


@dataclass(slots=True)
class _Unit:
    """What is judged once: a statement's shape, as one migration ran it (or no known migration)."""

    statement: RecordedStatement  # the first text of that shape
    migration: str | None
    executions: list[Execution]


@dataclass(frozen=True, slots=True)
class _Judged:
    """The findings on one unit, placed."""

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
    statements = read.recording.statements
    units = _units(statements, tracer)
    analyses: dict[tuple[str, tuple[str, ...]], Analysis] = {}
    judged = [_judge(unit, config, search_path, tracer, analyses) for unit in units]
    findings: list[Finding] = []
    left_out = 0
    for finding in (finding for one in judged for finding in one.findings):
        if changed is not None and finding.scope.kind is ScopeKind.FILE and finding.scope.name not in changed:
            left_out += 1
        else:
            findings.append(finding)
    note = (
        f"sandbox: {len(statements)} distinct statement(s) recorded ({read.recording.commands} command(s)), "
        f"{sum(1 for one in judged if one.findings or one.waived)} with findings, "
        f"{sum(1 for one in judged if one.traced)} of them traced to a migration file; "
        "database checks run on the end state"
    )
    runs = sum(len({tracer.migration(e.txid) for e in s.executions}) for s in statements)
    merged = runs - len(units)
    if merged:
        note += f"; {merged} differing from an earlier one only in constants judged with it"
    if left_out:
        note += f"; {left_out} finding(s) in migration files the pull request did not change left out"
    return SandboxResult(
        (*findings, *_queued(read.writes, config), *read.database),
        tuple(waived for one in judged for waived in one.waived),
        note,
    )


def _units(statements: Sequence[RecordedStatement], tracer: _Tracer) -> list[_Unit]:
    """One unit per (shape, search path, migration): the first statement of it, and every execution.

    Statements that differ only in constants (an ORM's row-by-row INSERTs) break the same rules on
    the same tables: judging each would repeat one finding per row. A shape two migrations ran is
    judged for each of them: a new migration repeating an old one's statement is not the old one.
    """
    units: dict[tuple[str, tuple[str, ...], str | None], _Unit] = {}
    for statement in statements:
        try:
            shape = parser.fingerprint(statement.query)
        except parser.ParseError:
            shape = statement.query
        by_migration: dict[str | None, list[Execution]] = {}
        for execution in statement.executions:
            by_migration.setdefault(tracer.migration(execution.txid), []).append(execution)
        for migration, executions in by_migration.items():
            key = (shape, statement.search_path, migration)
            if key in units:
                units[key].executions.extend(executions)
            else:
                units[key] = _Unit(statement, migration, executions)
    return list(units.values())


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
    unit: _Unit,
    config: MappingConfig,
    search_path: Sequence[str],
    tracer: _Tracer,
    analyses: dict[tuple[str, tuple[str, ...]], Analysis],
) -> _Judged:
    statement = unit.statement
    path = statement.search_path or tuple(search_path)
    key = (statement.query, path)
    if key not in analyses:
        analyses[key] = analyse_sql(statement.query, SANDBOX, config, path)
    analysis = analyses[key]
    found = effects(unit.executions, config)
    text = [f for f in analysis.findings if f.check_id != "unanalysable-code"]
    extra = unexplained(found, text)
    own = (*text, *(_effect_finding(effect, statement.query) for effect in extra))
    if not extra:  # nothing the recorder saw explains it: a person reads the code
        own = analysis.findings
    if not own and not analysis.waived:
        return _Judged()
    placement = tracer.place(statement.query, unit.migration)
    migration = None if placement else unit.migration
    line = source_line(statement.query, migration) if migration else None
    place = placer(statement.query, placement, migration, line or 1)

    def placed(finding: Finding) -> Finding:
        finding = place(finding)
        if finding.mapping:
            return finding
        return dataclasses.replace(finding, mapping=_mapping_named(finding, config))

    return _Judged(
        tuple(placed(f) for f in own),
        tuple(WaivedFinding(placed(w.finding), w.reason) for w in analysis.waived),
        bool(placement or unit.migration),
    )


def _effect_finding(effect: Effect, query: str) -> Finding:
    """The effect as a finding on the statement's first line (placed like the rules' findings)."""
    lines = query.splitlines() or [""]
    number = next((n for n, line in enumerate(lines) if line.strip()), 0)
    column = len(lines[number]) - len(lines[number].lstrip()) + 1
    location = Location(SANDBOX, number + 1, column, number + 1, max(column, len(lines[number])))
    scope = Scope(ScopeKind.FILE, SANDBOX)
    return stamp(effect.check, scope, effect.message, location=location, mapping=effect.mapping)


def _mapping_named(finding: Finding, config: MappingConfig) -> str:
    """The object of the first mapped table the finding's message names (`salesforce.account`)."""
    for match in re.finditer(rf"\b{re.escape(config.schema)}\.(\w+)", finding.message):
        mapping = config.by_table(match.group(1))
        if mapping is not None:
            return mapping.object_name
    return ""


@dataclass(frozen=True, slots=True)
class _Tracer:
    """Finds where statements came from; the repository is read once, and only if a statement needs it."""

    root: Path
    patterns: tuple[str, ...]
    versions: dict[int, str | None]  # the frameworks' record of which migration ran in which transaction
    read: list[tuple[MigrationFile, ...]] = dataclasses.field(default_factory=list)
    files_of: dict[str, str | None] = dataclasses.field(default_factory=dict)
    recorded: list[int] = dataclasses.field(default_factory=list)  # the versions' transactions, sorted

    def __post_init__(self) -> None:
        self.recorded.extend(sorted(self.versions))

    def files(self) -> tuple[MigrationFile, ...]:
        if not self.read:
            self.read.append(migration_files(self.root, self.patterns))
        return self.read[0]

    def migration(self, txid: int) -> str | None:
        pattern = version_pattern(txid, self.versions, self.recorded)
        if pattern is None:
            return None
        if pattern not in self.files_of:
            self.files_of[pattern] = pattern_file(pattern, self.root)
        return self.files_of[pattern]

    def place(self, query: str, migration: str | None) -> Placement | None:
        """Where the text is: in the migration that ran it first; never in another migration beside it."""
        files = self.files()
        if migration is not None:
            folder = migration.rpartition("/")[0]
            files = tuple(f for f in files if f.path == migration) + tuple(
                f for f in files if f.path.rpartition("/")[0] != folder
            )
        return locate(query, files)


def _queued(writes: tuple[CapturedWrites, ...] | str, config: MappingConfig) -> Iterator[Finding]:
    """The checks of what the migrations queued for Salesforce (`Reads.RECORDING`)."""
    schema_wide = Scope(ScopeKind.DATABASE, config.schema, SANDBOX)

    def scope(mapping: str | None) -> Scope:
        return schema_wide if mapping is None else Scope(ScopeKind.MAPPING, mapping, SANDBOX)

    for check in of_kind(Reads.RECORDING):
        if isinstance(writes, str):
            yield stamp(check.info, schema_wide, f"{check.info.id} could not run: {writes}", Status.ERROR)
            continue
        yield from findings_of(check, (writes, config), scope)
