"""Split a migration into statements with pglast (PostgreSQL's own parser), keeping byte spans.

The whole text is parsed in one call to `parse_sql_json`, about ten times faster than
`parse_sql` (which builds pglast's Python AST): on 20,000 statements 0.2 s (plus 0.3 s to decode
all of its JSON) against 9.8-14 s, see bench/bench_migrations.py. The JSON is cut at each
top-level statement (`{"stmt":` marks a RawStmt and nothing else) and a statement's tree is
decoded only when the engine asks for it: most statements never touch a table Connect owns.

Only when the parser rejects the text is it cut at its top-level semicolons (by PostgreSQL's
scanner) and each piece parsed alone, so that one bad statement becomes one `Unparsable` at its
own line and every other statement is still analysed.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pglast import parser

from connect_gate.migrations.text import LineIndex

Node = dict[str, Any]


_RAW_STMT = re.compile(r'\{"stmt":\{"(\w+)":')  # only RawStmt has a `stmt` field
_LOCATION = re.compile(r'"stmt_location":(\d+)')  # only RawStmt has these two, in a raw parse tree
_LENGTH = re.compile(r'"stmt_len":(\d+)')


@dataclass(frozen=True, slots=True)
class Statement:
    kind: str  # the node type, e.g. "AlterTableStmt"
    start: int  # byte offsets in the prepared text: first character, end (exclusive)
    end: int
    base: int  # byte offset that the node's own `location` values are relative to
    parsed: str  # pglast's JSON for the text this statement was parsed with (shared, not copied)
    within: tuple[int, int]  # this statement's RawStmt object in `parsed`

    def node(self) -> Node:
        """The decoded node (its fields, e.g. `relation`, `cmds`)."""
        node: Node = json.loads(self.parsed[self.within[0] : self.within[1]])["stmt"][self.kind]
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
        return _parse_piecewise(index)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a parse tree is built and walked.

    The tree is millions of small dicts and lists without cycles; the collector would scan them
    again and again as they are created, tripling the time of a big file.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


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


def _parse_piecewise(index: LineIndex) -> list[Statement | Unparsable]:
    results: list[Statement | Unparsable] = []
    text = index.text
    base = 0
    previous_char = 0
    for first, last in _pieces(text):
        base += len(text[previous_char:first].encode("utf-8"))
        previous_char = first
        piece = text[first:last]
        end = base + len(piece.encode("utf-8"))
        try:
            results.extend(_statements(index, _parse_json(piece), base, end))
        except parser.ParseError as error:
            message, at_char = error.args[0], error.args[1]
            start = index.skip_blank(base)
            stop = index.trim_end(start, end)
            error_at = stop - 1 if at_char is None else base + len(piece[:at_char].encode("utf-8"))
            results.append(Unparsable(start, stop, max(error_at, start), str(message)))
    return results


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    """Character spans between top-level semicolons; an unterminated quote runs to the end."""
    try:
        tokens = parser.scan(text)
        stop = len(text)
    except parser.ParseError as error:
        stop = int(error.args[1] or 0)
        tokens = parser.scan(text[:stop]) if stop else []
    start = 0
    depth = 0
    for token in tokens:
        if token.name == "ASCII_40":
            depth += 1
        elif token.name == "ASCII_41":
            depth = max(depth - 1, 0)
        elif token.name == "ASCII_59" and depth == 0:
            yield start, token.start
            start = token.end + 1
    if stop < len(text) or text[start:].strip():
        yield start, len(text)
