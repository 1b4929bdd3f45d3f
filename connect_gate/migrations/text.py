"""A migration file's text as the parser should see it, and positions in it as a reader sees them.

`prepare()` blanks what PostgreSQL must not parse: the down sections of goose (`-- +goose Down`)
and dbmate (`-- migrate:down`) files, psql meta-commands (`\\set`, `\\i`, ...) and COPY data
(split.py finds them as psql does, and returns the meta-commands for the engine). Blanking
replaces each character by a space and keeps line breaks, so every line and column stays where
the author wrote it.

`LineIndex` turns the parser's offsets into 1-based lines and columns. pglast's JSON gives offsets
in bytes of UTF-8, its errors and scanner in characters; columns are counted in characters, so
`é` before a statement moves it by one column, not two.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from connect_gate.migrations.split import Command, split

_DOWN_MARKER = re.compile(
    r"^[ \t]*--[ \t]*(?:\+goose[ \t]+down|migrate:down)\b", re.IGNORECASE | re.MULTILINE
)
_UP_MARKER = re.compile(r"^[ \t]*--[ \t]*(?:\+goose[ \t]+up|migrate:up)\b", re.IGNORECASE | re.MULTILINE)
_NOT_NEWLINE = re.compile(r"[^\n]")


@dataclass(frozen=True, slots=True)
class Prepared:
    text: str
    commands: tuple[Command, ...] = ()


def prepare(text: str) -> Prepared:
    """The text with down sections, psql meta-commands and COPY data blanked out."""
    text = _without_down_sections(text)
    if "\\" not in text:
        return Prepared(text)  # no meta-command, no end of COPY data: psql sees plain SQL
    found = split(text)
    return Prepared(found.text, tuple(found.commands))


def _without_down_sections(text: str) -> str:
    pieces: list[str] = []
    position = 0
    while (down := _DOWN_MARKER.search(text, position)) is not None:
        up = _UP_MARKER.search(text, down.end())
        end = up.start() if up is not None else len(text)
        pieces.append(text[position : down.start()])
        pieces.append(_NOT_NEWLINE.sub(" ", text[down.start() : end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class Position(NamedTuple):  # a named tuple: two per finding
    line: int  # 1-based
    column: int  # 1-based, in characters


class LineIndex:
    """Line and column of a byte offset (or a character offset) in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8")
        self._starts = [0]
        find = self.data.find
        newline = find(b"\n")
        while newline != -1:
            self._starts.append(newline + 1)
            newline = find(b"\n", newline + 1)

    def at_byte(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.data)))
        line = bisect_right(self._starts, offset)
        start = self._starts[line - 1]
        return Position(line, len(self.data[start:offset].decode("utf-8", errors="replace")) + 1)

    def last_char_before(self, offset: int) -> Position:
        """The position of the last character that ends at byte `offset` (an inclusive span end)."""
        if offset <= 0:
            return Position(1, 1)
        start = offset - 1
        while start > 0 and (self.data[start] & 0xC0) == 0x80:  # back to the first byte of the character
            start -= 1
        return self.at_byte(start)

    def byte_of_char(self, char_offset: int) -> int:
        return len(self.text[:char_offset].encode("utf-8"))

    def trim_end(self, start: int, end: int) -> int:
        """`end` moved back over trailing white space and semicolons, not before `start`."""
        while end > start and self.data[end - 1] in b" \t\r\n\f\v;":
            end -= 1
        return end
