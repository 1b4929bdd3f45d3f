"""The engine: one migration text in, Findings out.

Each statement is parsed once; the rules interested in its node type run on it with the file's
current `search_path`. The engine stamps each rule's id, title and status on what it finds and
places it on the statement's span (or on the precise node the rule points at), then applies the
file's inline waivers.
"""

from __future__ import annotations

import dataclasses
import functools
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from connect_gate import forked
from connect_gate.check import Check, CheckInfo, Crash, Problem, Reads, run, stamp
from connect_gate.checks import of_kind
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Status, WaivedFinding
from connect_gate.gc_pause import collector_paused
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.connect import Connect
from connect_gate.migrations.context import DEFAULT_SEARCH_PATH, Context
from connect_gate.migrations.file_state import FileState, ForeignKeys
from connect_gate.migrations.nodes import created_relation
from connect_gate.migrations.parse import (
    ByteOffsets,
    Statement,
    Unparsable,
    parse,
    parse_alone,
)
from connect_gate.migrations.psql import Include, copy_statement, include, unanalysable
from connect_gate.migrations.search_path import next_search_path
from connect_gate.migrations.source import display_name, read_migration
from connect_gate.migrations.split import Command
from connect_gate.migrations.text import LineIndex, Position, prepare
from connect_gate.migrations.tools import ToolFile
from connect_gate.migrations.waivers import Waiver, apply_waivers, find_waivers, owner

# The checks this engine reports itself (`Reads.MIGRATION_FILE`), by the ids they are registered with.
_OWN = {check.info.id: check.info for check in of_kind(Reads.MIGRATION_FILE)}
UNPARSABLE, UNUSED_WAIVER, MALFORMED_WAIVER, UNREADABLE, PSQL_COMMAND = (
    _OWN["unparsable-statement"],
    _OWN["unused-sql-waiver"],
    _OWN["malformed-sql-waiver"],
    _OWN["unreadable-migration"],
    _OWN["unanalysable-psql-command"],
)
_DISPATCH: dict[str, tuple[Check, ...]] = {}
for _rule in of_kind(Reads.STATEMENT):
    for _kind in dict.fromkeys(_rule.info.nodes):  # a node type listed twice must not run the rule twice
        _DISPATCH[_kind] = (*_DISPATCH.get(_kind, ()), _rule)
# Decoded even when they name nothing of Connect's: they change how the file's later statements run
# (search path, transaction block), or reach mapped tables without naming them (TRUNCATE ... CASCADE).
_ALWAYS_DECODED = frozenset({"VariableSetStmt", "TransactionStmt", "TruncateStmt"})
_WAIVABLE = frozenset(
    check.info.id for check in (*of_kind(Reads.STATEMENT), *of_kind(Reads.MIGRATION_FILE))
) - {MALFORMED_WAIVER.id}  # `unused-sql-waiver` may be waived: a shared header of waivers


@dataclass(frozen=True, slots=True)
class Analysis:
    findings: tuple[Finding, ...] = ()  # to be decided by the policy
    waived: tuple[WaivedFinding, ...] = ()
    files: int = 0
    statements: int = 0
    analysed: tuple[tuple[str, int, int], ...] = ()  # (file, first, last line) of each statement, if asked
    processes: int = 1  # 2 when a second process analysed the later half of the files


def analyse_files(
    paths: Sequence[Path],
    config: MappingConfig,
    root: Path,
    search_path: Sequence[str] = DEFAULT_SEARCH_PATH,
    *,
    lines: bool = False,
) -> Analysis:
    """Analyse each file; findings name it by its path relative to `root` (the repository).

    `search_path` is where unqualified names resolve until a file sets its own: PostgreSQL's
    default (`public`), unless the application's database role or ORM sets another. Files that
    `\\i` / `\\ir` include are analysed where they are included, with the search path of that point.
    With `lines`, `Analysis.analysed` lists where each statement analysed is.
    """
    first, later = _halves(paths)
    reader = _Reader(config, root, lines)
    if not later:
        return _read(paths, reader, search_path)[0]
    with forked.start(functools.partial(_read, later, _Reader(config, root, lines), search_path)) as pending:
        head = _read(first, reader, search_path)[0]
        tail, asked = pending.result()
    if asked and reader.referenced_by:  # a later file needed the foreign keys the earlier ones added
        return _combined([head, _read(later, reader, search_path)[0]])
    return dataclasses.replace(_combined([head, tail]), processes=2 if pending.by_child else 1)


_SHARED_ABOVE = 256 * 1024  # bytes of SQL: below, a second process costs more than it saves


def _halves(paths: Sequence[Path]) -> tuple[Sequence[Path], Sequence[Path]]:
    """The files this process analyses, and those a second process analyses meanwhile (if any)."""
    if len(paths) < 2 or not forked.available():
        return paths, ()
    sizes = [_size(path) for path in paths]
    total = sum(sizes)
    if total < _SHARED_ABOVE:
        return paths, ()
    cut, running = 0, 0
    while running < total / 2:
        running += sizes[cut]
        cut += 1
    cut = min(max(cut, 1), len(paths) - 1)
    return paths[:cut], paths[cut:]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when it is read
        return 0


def _read(paths: Sequence[Path], reader: _Reader, search_path: Sequence[str]) -> tuple[Analysis, bool]:
    """The analysis of `paths` by `reader`, and whether a rule asked for foreign keys of earlier files."""
    begin = len(reader.parts)
    with collector_paused():
        for path in paths:
            reader.file(path, tuple(search_path))
    return _combined(reader.parts[begin:]), reader.referenced_by.asked


def analyse_sql(
    text: str, name: str, config: MappingConfig, search_path: Sequence[str] = DEFAULT_SEARCH_PATH
) -> Analysis:
    """Analyse one SQL text; `name` is the file name findings carry (repository-relative)."""
    reader = _Reader(config, Path.cwd(), False)
    with collector_paused():
        reader.text(text, name, None, tuple(search_path))
    return _combined(reader.parts)


def _combined(parts: Sequence[Analysis]) -> Analysis:
    return Analysis(
        tuple(finding for part in parts for finding in part.findings),
        tuple(waived for part in parts for waived in part.waived),
        sum(part.files for part in parts),
        sum(part.statements for part in parts),
        tuple(span for part in parts for span in part.analysed),
    )


_MAX_INCLUDE_DEPTH = 16


class _Reader:
    """Reads files as psql runs them, following `\\i` and `\\ir`; one Analysis per file read."""

    def __init__(self, config: MappingConfig, root: Path, lines: bool) -> None:
        self.config = config
        self.lines = lines
        self.root = root
        self.resolved_root = root.resolve()
        self.parts: list[Analysis] = []
        self.chain: list[Path] = []  # the files being read, outermost first
        self.referenced_by = ForeignKeys()  # of mapped tables, over all files

    def file(self, path: Path, search_path: tuple[str, ...]) -> tuple[str, ...]:
        """Analyse the file at `path`; the search path when it ends."""
        name = display_name(_relative(path, self.root, self.resolved_root))
        read = read_migration(path, self.root)
        problems = [
            _finding(UNREADABLE, problem.message, name, None, (problem.line, 0)) for problem in read.problems
        ]
        if read.text is None:
            self.parts.append(Analysis(tuple(problems), (), 1, 0))
            return search_path
        self.chain.append(path.resolve())
        try:
            return self.text(read.text, name, path, search_path, problems)
        finally:
            self.chain.pop()

    def text(
        self,
        text: str,
        name: str,
        path: Path | None,
        search_path: tuple[str, ...],
        problems: Sequence[Finding] = (),
    ) -> tuple[str, ...]:
        slot = len(self.parts)
        self.parts.append(Analysis())  # this file's findings come before those of the files it includes
        analysis, search_path = _analyse(text, name, search_path, self, path)
        self.parts[slot] = dataclasses.replace(analysis, findings=(*problems, *analysis.findings))
        return search_path

    def include(
        self, command: Include, including: Path | None, search_path: tuple[str, ...]
    ) -> tuple[str, tuple[str, ...]]:
        """Follow `\\i`/`\\ir`: ('', search path after it), or (why it was not read, unchanged path)."""
        if not command.target:
            return (
                "This include names no file; psql runs nothing, but the gate cannot tell what was meant.",
                search_path,
            )
        folder = including.parent if command.relative and including is not None else self.root
        target = Path(command.target)
        path = target if target.is_absolute() else folder / target
        if not path.resolve().is_relative_to(self.resolved_root):
            return (
                f"This includes {command.target}, outside the workspace: the gate does not read it, "
                "so what psql runs from it was not checked.",
                search_path,
            )
        if not path.exists():
            return (
                f"This includes {command.target}, which is not in the repository: it was not checked.",
                search_path,
            )
        if path.resolve() in self.chain or len(self.chain) >= _MAX_INCLUDE_DEPTH:
            return f"This includes {command.target} again, in a loop: psql would never finish.", search_path
        return "", self.file(path, search_path)


def _analyse(
    text: str, name: str, search_path: tuple[str, ...], reader: _Reader, path: Path | None
) -> tuple[Analysis, tuple[str, ...]]:
    connect = _connect(reader.config)
    prepared = prepare(text)
    index = LineIndex(prepared.text)
    items: list[Item] = [*parse(index)]
    if prepared.commands:
        items = sorted([*items, *_commands(index, prepared.commands)], key=lambda item: item.start)
    run = _Run(connect, search_path, reader, path)
    hits = list(run.rules(items, index, ToolFile(name, text, index.data, items, path)))
    waivers, malformed = find_waivers(index, _WAIVABLE)
    spans = [(item.start, item.end) for item in items]
    kept, waived, unused = apply_waivers(hits, waivers, spans, index)
    findings = [_finding(hit.check, hit.message, name, index, (hit.start, hit.end)) for hit in kept]
    unused_hits = [_unused(waiver, rule, spans, index) for waiver, rule in unused if rule != UNUSED_WAIVER.id]
    kept_unused, waived_unused, _ = apply_waivers(unused_hits, waivers, spans, index)
    findings += [_finding(hit.check, hit.message, name, index, (hit.start, hit.end)) for hit in kept_unused]
    waived += waived_unused
    findings.extend(
        _finding(MALFORMED_WAIVER, problem.message, name, index, (problem.start, problem.end))
        for problem in malformed
    )
    covered = tuple(
        WaivedFinding(_finding(hit.check, hit.message, name, index, (hit.start, hit.end)), reason)
        for hit, reason in waived
    )
    statements = [item for item in items if isinstance(item, Statement)]
    lines = tuple(
        (name, index.at_byte(item.start).line, index.last_char_before(item.end).line)
        for item in statements
        if reader.lines
    )
    return Analysis(tuple(findings), covered, 1, len(statements), lines), run.search_path


def _unused(waiver: Waiver, rule: str, spans: Sequence[tuple[int, int]], index: LineIndex) -> _Hit:
    """The finding for a waiver of `rule` that waived nothing (itself waivable by `unused-sql-waiver`)."""
    scope = "the whole file" if waiver.whole_file else "its statement"
    message = (
        f"This waiver of {rule} waived nothing in {scope}: delete it, "
        "or move it onto the statement it is meant for."
    )
    item = -1 if waiver.whole_file else owner(waiver, spans, index)
    return _Hit(UNUSED_WAIVER, -1 if item is None else item, message, waiver.start, waiver.end)


@dataclass(frozen=True, slots=True)
class MetaCommand:
    """A psql meta-command that includes a file or runs what the gate cannot see (`problem`)."""

    start: int
    end: int
    included: Include | None
    problem: str


Item = Statement | Unparsable | MetaCommand


def _commands(index: LineIndex, commands: Sequence[Command]) -> list[Item]:
    """The statements and findings psql's meta-commands give (their text is blank in `index`)."""
    to_bytes = ByteOffsets(index)
    items: list[Item] = []
    for command in commands:
        start, end = to_bytes(command.start), to_bytes(command.end)
        span = (start, max(end, start + 1))
        problem = unanalysable(command)
        followed = include(command)
        if problem or followed:
            items.append(MetaCommand(start, span[1], followed, problem))
        elif command.name == "copy":
            sql = copy_statement(command.arguments)
            base = to_bytes(command.arguments_at) - len("COPY ")
            items.append(
                parse_alone(index, sql, base, span)
                if sql is not None
                else Unparsable(start, span[1], start, "\\copy names no FROM or TO")
            )
    return items


class _Hit(NamedTuple):
    check: CheckInfo
    item: int  # index of the statement in the file
    message: str
    start: int
    end: int

    @property
    def rule(self) -> str:
        return self.check.id


class _Run:
    """The rules over one file's items, in order, following its search path and includes."""

    def __init__(self, connect: Connect, search_path: tuple[str, ...], reader: _Reader, path: Path | None):
        self.connect = connect
        self.default = search_path
        self.search_path = search_path
        self.reader = reader
        self.path = path

    def rules(self, items: Sequence[Item], index: LineIndex, tool: ToolFile | None = None) -> Iterator[_Hit]:
        connect = self.connect
        created: set[tuple[str, str]] = set()
        state = FileState(referenced_by=self.reader.referenced_by, tool=tool)
        named_at = connect.named_at(index.data)
        for number, item in enumerate(items):
            if isinstance(item, Unparsable):
                yield _Hit(
                    UNPARSABLE,
                    number,
                    f"PostgreSQL cannot parse this statement ({_one_line(item.message)}), so it was "
                    "not checked for risks to the Heroku Connect sync.",
                    item.error_at,
                    item.end,
                )
                continue
            if isinstance(item, MetaCommand):
                yield from self._meta_command(item, number)
                continue
            if not (
                item.kind in _ALWAYS_DECODED
                or item.built
                or connect.schema in self.search_path
                or _names_inside(named_at, item.start, item.end)
            ):
                continue  # it cannot touch what Connect owns: no need to decode its tree
            node = item.node()
            self.search_path = next_search_path(item.kind, node, self.search_path, self.default)
            ctx = Context(
                connect, self.search_path, created, item.kind, index.data, (item.start, item.end), state
            )
            for rule in _DISPATCH.get(item.kind, ()):
                problems = run(rule, node, ctx)
                if problems:  # most rules find nothing: no generator for them
                    yield from _hits(rule, item, number, problems)
            state.follow(node, ctx)
            # Tables created in the file matter only for names Connect also uses: those pass the test above.
            new_table = created_relation(item.kind, node)
            if new_table is not None:
                created.add(
                    (
                        new_table.get("schemaname") or (self.search_path[0] if self.search_path else ""),
                        new_table["relname"],
                    )
                )

    def _meta_command(self, item: MetaCommand, number: int) -> Iterator[_Hit]:
        if item.problem:
            yield _Hit(PSQL_COMMAND, number, item.problem, item.start, item.end)
        if item.included is not None:
            problem, self.search_path = self.reader.include(item.included, self.path, self.search_path)
            if problem:
                yield _Hit(UNREADABLE, number, problem, item.start, item.end)


def _names_inside(offsets: list[int], start: int, end: int) -> bool:
    """Whether one of Connect's names appears between `start` and `end` (most statements: no).

    Skipping the rules there is what keeps a 20,000-statement file under a second.
    """
    first = bisect_left(offsets, start)
    return first < len(offsets) and offsets[first] < end


def _hits(rule: Check, item: Statement, number: int, problems: list[Problem] | Crash) -> Iterator[_Hit]:
    if isinstance(problems, Crash):  # one crashing rule must not hide the others
        yield _Hit(
            _crashed(rule.info),
            number,
            f"Rule {rule.info.id} crashed on this statement ({problems.message}); "
            "the statement was not checked by it.",
            item.start,
            item.end,
        )
        return
    for problem in problems:
        start = item.base + problem.at if problem.at is not None and problem.at >= 0 else item.start
        check = rule.info if problem.status is None else _with_status(rule.info, problem.status)
        yield _Hit(check, number, problem.message, max(start, item.start), item.end)


def _crashed(check: CheckInfo) -> CheckInfo:
    return _with_status(check, Status.ERROR)


@functools.lru_cache(maxsize=256)
def _with_status(check: CheckInfo, status: Status) -> CheckInfo:
    return dataclasses.replace(check, status=status)


def _finding(
    check: CheckInfo, message: str, name: str, index: LineIndex | None, span: tuple[int, int]
) -> Finding:
    """A finding at the byte `span` of `index`, or at line `span[0]` (0: the whole file) without one."""
    start, end = span
    if index is None:
        first = last = Position(max(start, 1), 1)
    else:
        first = index.at_byte(start)
        last = index.last_char_before(max(end, start + 1))
    location = Location(name, first.line, first.column, last.line, last.column)
    return stamp(check, _file_scope(name), message, location=location)


@functools.lru_cache(maxsize=1024)
def _file_scope(name: str) -> Scope:
    return Scope(ScopeKind.FILE, name)  # one for all the findings of a file


def _one_line(message: str) -> str:
    """Parser messages quote the rest of the text after an unterminated string: keep its first line."""
    first, _, rest = message.partition("\n")
    return first + '…"' if rest else first


@functools.lru_cache(maxsize=8)
def _connect(config: MappingConfig) -> Connect:
    return Connect(config)


def _relative(path: Path, root: Path, resolved_root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()  # discover() gives root / relative path
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(resolved_root).as_posix()
    except ValueError:
        return path.as_posix()
