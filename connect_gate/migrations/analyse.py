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

from checks import of_kind
from connect_gate.check import Check, CheckInfo, Crash, Reads, run
from connect_gate.document import read_text
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status, WaivedFinding
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.connect import Connect
from connect_gate.migrations.context import DEFAULT_SEARCH_PATH, Context, Node
from connect_gate.migrations.nodes import created_relation
from connect_gate.migrations.parse import Statement, Unparsable, collector_paused, parse
from connect_gate.migrations.search_path import next_search_path
from connect_gate.migrations.text import LineIndex, prepare
from connect_gate.migrations.waivers import apply_waivers, find_waivers

# The checks this engine reports itself (`Reads.MIGRATION_FILE`), by the ids they are registered with.
_OWN = {check.info.id: check.info for check in of_kind(Reads.MIGRATION_FILE)}
UNPARSABLE, UNUSED_WAIVER, MALFORMED_WAIVER = (
    _OWN["unparsable-statement"],
    _OWN["unused-sql-waiver"],
    _OWN["malformed-sql-waiver"],
)
_DISPATCH: dict[str, tuple[Check, ...]] = {}
for _rule in of_kind(Reads.STATEMENT):
    for _kind in dict.fromkeys(_rule.info.nodes):  # a node type listed twice must not run the rule twice
        _DISPATCH[_kind] = (*_DISPATCH.get(_kind, ()), _rule)
_WAIVABLE = frozenset(
    check.info.id for check in (*of_kind(Reads.STATEMENT), *of_kind(Reads.MIGRATION_FILE))
) - {UNUSED_WAIVER.id, MALFORMED_WAIVER.id}


@dataclass(frozen=True, slots=True)
class Analysis:
    findings: tuple[Finding, ...] = ()  # to be decided by the policy
    waived: tuple[WaivedFinding, ...] = ()
    files: int = 0
    statements: int = 0


def analyse_files(
    paths: Sequence[Path], config: MappingConfig, root: Path, search_path: Sequence[str] = DEFAULT_SEARCH_PATH
) -> Analysis:
    """Analyse each file; findings name it by its path relative to `root` (the repository).

    `search_path` is where unqualified names resolve until a file sets its own: PostgreSQL's
    default (`public`), unless the application's database role or ORM sets another.
    """
    resolved_root = root.resolve()
    parts = [
        analyse_sql(
            read_text(path, "migration file"), _relative(path, root, resolved_root), config, search_path
        )
        for path in paths
    ]
    return Analysis(
        tuple(finding for part in parts for finding in part.findings),
        tuple(waived for part in parts for waived in part.waived),
        sum(part.files for part in parts),
        sum(part.statements for part in parts),
    )


def analyse_sql(
    text: str, name: str, config: MappingConfig, search_path: Sequence[str] = DEFAULT_SEARCH_PATH
) -> Analysis:
    """Analyse one SQL text; `name` is the file name findings carry (repository-relative)."""
    with collector_paused():
        return _analyse(text, name, config, tuple(search_path))


def _analyse(text: str, name: str, config: MappingConfig, search_path: tuple[str, ...]) -> Analysis:
    index = LineIndex(prepare(text))
    items = parse(index)
    hits = list(_run_rules(items, index, _connect(config), search_path))
    waivers, malformed = find_waivers(index, _WAIVABLE)
    kept, waived, unused = apply_waivers(hits, waivers, [(item.start, item.end) for item in items], index)
    findings = [_finding(hit.check, hit.message, name, index, (hit.start, hit.end)) for hit in kept]
    for waiver, rule in unused:
        scope = "the whole file" if waiver.whole_file else "its statement"
        message = (
            f"This waiver of {rule} waived nothing in {scope}: delete it, "
            "or move it onto the statement it is meant for."
        )
        findings.append(_finding(UNUSED_WAIVER, message, name, index, (waiver.start, waiver.end)))
    findings.extend(
        _finding(MALFORMED_WAIVER, problem.message, name, index, (problem.start, problem.end))
        for problem in malformed
    )
    covered = tuple(
        WaivedFinding(_finding(hit.check, hit.message, name, index, (hit.start, hit.end)), reason)
        for hit, reason in waived
    )
    statements = sum(1 for item in items if isinstance(item, Statement))
    return Analysis(tuple(findings), covered, 1, statements)


@dataclass(frozen=True, slots=True)
class _Hit:
    check: CheckInfo
    item: int  # index of the statement in the file
    message: str
    start: int
    end: int

    @property
    def rule(self) -> str:
        return self.check.id


def _run_rules(
    items: list[Statement | Unparsable], index: LineIndex, connect: Connect, default: tuple[str, ...]
) -> Iterator[_Hit]:
    search_path = default
    created: set[tuple[str, str]] = set()
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
        if not (
            item.kind == "VariableSetStmt"
            or connect.schema in search_path
            or _names_inside(named_at, item.start, item.end)
        ):
            continue  # it cannot touch what Connect owns: no need to decode its tree
        node = item.node()
        search_path = next_search_path(item.kind, node, search_path, default)
        ctx = Context(connect, search_path, created, item.kind, index.data, (item.start, item.end))
        for rule in _DISPATCH.get(item.kind, ()):
            yield from _apply(rule, item, node, number, ctx)
        # Tables created in the file matter only for names Connect also uses: those pass the test above.
        new_table = created_relation(item.kind, node)
        if new_table is not None:
            created.add(
                (new_table.get("schemaname") or (search_path[0] if search_path else ""), new_table["relname"])
            )


def _names_inside(offsets: list[int], start: int, end: int) -> bool:
    """Whether one of Connect's names appears between `start` and `end` (most statements: no).

    Skipping the rules there is what keeps a 20,000-statement file under a second.
    """
    first = bisect_left(offsets, start)
    return first < len(offsets) and offsets[first] < end


def _apply(rule: Check, item: Statement, node: Node, number: int, ctx: Context) -> Iterator[_Hit]:
    problems = run(rule, node, ctx)
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
        yield _Hit(rule.info, number, problem.message, max(start, item.start), item.end)


def _crashed(check: CheckInfo) -> CheckInfo:
    return dataclasses.replace(check, status=Status.ERROR)


def _finding(check: CheckInfo, message: str, name: str, index: LineIndex, span: tuple[int, int]) -> Finding:
    start, end = span
    first = index.at_byte(start)
    last = index.last_char_before(max(end, start + 1))
    return Finding(
        source=Source.MIGRATIONS,
        check_id=check.id,
        name=check.title,
        scope=Scope(ScopeKind.FILE, name),
        status=check.status,
        message=message,
        location=Location(name, first.line, first.column, last.line, last.column),
    )


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
