"""Cut SQL text at its top-level semicolons, to isolate the statements PostgreSQL rejects.

Used only when the parser refuses a file. pglast's own `scan()` would do, but it slows down
faster than the text grows (seconds on a few hundred kilobytes); this lexer knows just what can
hide a semicolon: comments (block comments nest), strings ('', E'' with backslashes), quoted
identifiers, dollar quotes and parentheses (CREATE RULE ... DO (a; b)). An unterminated quote
runs to the end of the text, as it does for PostgreSQL.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
      --[^\n]*
    | /\*
    | (?<![\w$])[Ee]'(?:[^'\\]|\\.|'')*(?:'|\Z)
    | '(?:[^']|'')*(?:'|\Z)
    | "(?:[^"]|"")*(?:"|\Z)
    | (?<![\w$])\$(?:[^\W\d]\w*)?\$
    | [();]
    """,
    re.VERBOSE | re.DOTALL,
)


def skip_blank(text: str, position: int) -> int:
    """The first character at or after `position` outside white space and comments (an unterminated
    comment is not skipped: it is what the parser rejected)."""
    blank = _BLANK.match(text, position)
    return blank.end() if blank else position


_BLANK = re.compile(r"(?:\s+|--[^\n]*|/\*(?:(?!\*/).)*\*/)*", re.DOTALL)


def statement_spans(text: str) -> list[tuple[int, int]]:
    """(start, stop) character spans, `stop` being the index of the terminating `;` (or the end)."""
    spans: list[tuple[int, int]] = []
    start = depth = position = 0
    while (match := _TOKEN.search(text, position)) is not None:
        token, position = match.group(), match.end()
        if token == "/*":
            position = _end_of_block_comment(text, match.start())
        elif token.startswith("$"):
            close = text.find(token, position)
            position = len(text) if close == -1 else close + len(token)
        elif token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif token == ";" and depth == 0:
            spans.append((start, match.start()))
            start = position
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _end_of_block_comment(text: str, position: int) -> int:
    depth = 0
    while position < len(text):
        if text.startswith("/*", position):
            depth, position = depth + 1, position + 2
        elif text.startswith("*/", position):
            depth, position = depth - 1, position + 2
            if depth == 0:
                return position
        else:
            position += 1
    return len(text)
