"""Split a migration into statements with pglast (PostgreSQL's own parser), keeping byte spans.

The whole text is parsed in one call to `parse_sql_json`, 10 to 20 times faster than
`parse_sql` (which builds pglast's Python AST): on 20,000 statements 0.2 s (plus 0.4 s to decode
all of its JSON) against 9.8-14 s, see bench/bench_migrations.py. The JSON is cut at each
top-level statement (`{"stmt":` marks a RawStmt and nothing else) and a statement's tree is
decoded only when the engine asks for it (by orjson, twice as fast as the standard library on
these small objects): most statements never touch a table Connect owns.

Only when the parser rejects the text is it cut at its top-level semicolons (split.py): the
statement where the parser stopped becomes one `Unparsable` at its own line, and parsing resumes
after it, so every other statement is still analysed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
from pglast import parser

from connect_gate.migrations.split import skip_blank, statement_spans
from connect_gate.migrations.text import LineIndex

Node = dict[str, Any]


_RAW_STMT = re.compile(r'\{"stmt":\{"(\w+)":')  # only RawStmt has a `stmt` field
_LOCATION = re.compile(r'"stmt_location":(\d+)')  # only RawStmt has these two, in a raw parse tree
_LENGTH = re.compile(r'"stmt_len":(\d+)')


class Statement(NamedTuple):  # a named tuple: one for every statement of every file
    kind: str  # the node type, e.g. "AlterTableStmt"
    start: int  # byte offsets in the prepared text: first character, end (exclusive)
    end: int
    base: int  # byte offset that the node's own `location` values are relative to
    parsed: str  # pglast's JSON for the text this statement was parsed with (shared, not copied)
    within: tuple[int, int]  # this statement's RawStmt object in `parsed`
    built: bool = False  # built from a psql meta-command (`\\copy`): its text is not in the file's

    def node(self) -> Node:
        """The decoded node (its fields, e.g. `relation`, `cmds`)."""
        node: Node = orjson.loads(self.parsed[self.within[0] : self.within[1]])["stmt"][self.kind]
        return node


@dataclass(frozen=True, slots=True)
class Unparsable:
    start: int
    end: int
    error_at: int  # byte offset of the token PostgreSQL stopped at
    message: str


def parse(index: LineIndex) -> list[Statement | Unparsable]:
    try:
        return list(_statements(index, _parse_json(index.text), 0, len(index.data)))
    except parser.ParseError:
        return _recover(index)


def parse_alone(index: LineIndex, sql: str, base: int, span: tuple[int, int]) -> Statement | Unparsable:
    """A statement psql builds from a meta-command (`\\copy`), placed at the command's byte `span`;
    the node's locations are relative to `base`."""
    start, end = span
    try:
        first = next(_statements(index, _parse_json(sql), base, end), None)
    except parser.ParseError as error:
        return Unparsable(start, end, start, str(error.args[0]))
    if first is None:
        return Unparsable(start, end, start, "psql sends nothing for it")
    return first._replace(start=start, end=end, built=True)


def _parse_json(text: str) -> str:
    return str(parser.parse_sql_json(text))


def _statements(index: LineIndex, parsed: str, base: int, limit: int) -> Iterator[Statement]:
    """One Statement per RawStmt of `{"version":...,"stmts":[{"stmt":...},...]}`, without decoding.

    Regular expressions over the JSON find every statement's start, location and length at C
    speed; a statement at offset 0 has no `stmt_location`, one running to the end no `stmt_len`.
    """
    heads = [(match.start(), match.group(1)) for match in _RAW_STMT.finditer(parsed)]
    locations = [int(value) for value in _LOCATION.findall(parsed)]
    lengths = [int(value) for value in _LENGTH.findall(parsed)]
    if len(locations) == len(heads) - 1:
        locations.insert(0, 0)
    if len(lengths) == len(heads) - 1:
        lengths.append(0)
    if not len(heads) == len(locations) == len(lengths):
        raise ValueError(f"unexpected pglast JSON: {len(heads)} statements, {len(locations)} locations")
    closes = [following - 1 for following, _ in heads[1:]] + [parsed.rfind("]")]
    for (first, kind), last, location, length in zip(heads, closes, locations, lengths, strict=False):
        start = base + location  # PostgreSQL 17+ points at the first token, past comments
        end = start + length if length else limit
        yield Statement(kind, start, max(index.trim_end(start, end), start), base, parsed, (first, last))


_RESTARTS = 20  # after this many bad statements, parse the rest one statement at a time


def _recover(index: LineIndex) -> list[Statement | Unparsable]:
    """Parse a text the parser rejects: every good statement, and one Unparsable per bad one.

    The parser reads on from each bad statement, so a file with a few mistakes costs a few
    parses; after `_RESTARTS` of them the rest is parsed statement by statement.
    """
    text = index.text
    spans = statement_spans(text) or [(0, len(text))]
    stops = [stop for _, stop in spans]
    to_bytes = ByteOffsets(index)
    items: list[Statement | Unparsable] = []
    position = 0
    for _ in range(_RESTARTS):
        if position >= len(text):
            return items
        try:
            items.extend(_region(index, position, len(text), to_bytes))
            return items
        except parser.ParseError as error:
            message, at = str(error.args[0]), error.args[1]
            stopped = len(text) if at is None else position + int(at)
            bad = min(bisect_left(stops, stopped), len(spans) - 1)
            first, stop = max(spans[bad][0], position), spans[bad][1]
            items.extend(_batch(index, [s for s in spans if position <= s[0] < first], to_bytes))
            items.append(
                _unparsable(index, (first, stop), None if at is None else stopped, message, to_bytes)
            )
            position = stop + 1
    return items + _one_by_one(index, [span for span in spans if span[0] >= position], to_bytes)


def _batch(
    index: LineIndex, spans: list[tuple[int, int]], to_bytes: ByteOffsets
) -> list[Statement | Unparsable]:
    """Statements that parsed before a bad one: one parse for all, or one each if that fails."""
    if not spans:
        return []
    try:
        return list(_region(index, spans[0][0], spans[-1][1], to_bytes))
    except parser.ParseError:
        return _one_by_one(index, spans, to_bytes)


def _one_by_one(
    index: LineIndex, spans: list[tuple[int, int]], to_bytes: ByteOffsets
) -> list[Statement | Unparsable]:
    items: list[Statement | Unparsable] = []
    for first, stop in spans:
        try:
            items.extend(_region(index, first, stop, to_bytes))
        except parser.ParseError as error:
            at = error.args[1]
            stopped = None if at is None else first + int(at)
            items.append(_unparsable(index, (first, stop), stopped, str(error.args[0]), to_bytes))
    return items


def _region(index: LineIndex, first: int, last: int, to_bytes: ByteOffsets) -> Iterator[Statement]:
    """The statements of the characters first..last, positioned in the whole text."""
    parsed = _parse_json(index.text[first:last])
    return _statements(index, parsed, to_bytes(first), to_bytes(last))


def _unparsable(
    index: LineIndex, span: tuple[int, int], stopped: int | None, message: str, to_bytes: ByteOffsets
) -> Unparsable:
    start = to_bytes(skip_blank(index.text, span[0]))
    stop = max(index.trim_end(start, to_bytes(span[1])), start)
    error_at = stop - 1 if stopped is None else to_bytes(stopped)
    return Unparsable(start, stop, min(max(error_at, start), max(stop - 1, start)), message)


class ByteOffsets:
    """Character offset → UTF-8 byte offset, cheap for offsets asked in increasing order."""

    def __init__(self, index: LineIndex) -> None:
        self._text = index.text
        self._ascii = len(index.data) == len(index.text)
        self._char = self._byte = 0

    def __call__(self, char: int) -> int:
        if self._ascii:
            return char
        if char >= self._char:
            self._byte += len(self._text[self._char : char].encode("utf-8"))
        else:
            self._byte -= len(self._text[char : self._char].encode("utf-8"))
        self._char = char
        return self._byte
