"""Cut a migration at the statement boundaries psql sees, and find psql's meta-commands.

psql, not the server, decides where a statement ends: at a `;` outside comments, strings, quoted
identifiers, dollar quotes and parentheses, and outside the `BEGIN ... END` body of a
`CREATE [OR REPLACE] FUNCTION|PROCEDURE` (`BEGIN ATOMIC`). A backslash outside those starts a
meta-command (`\\i file`, `\\copy ...`, `\\gexec`), which runs to the end of its line (or to `\\\\`,
or to the next backslash command on the line). `\\;` and `\\:` put a plain `;` or `:` into the
statement. After a `COPY ... FROM STDIN`, psql reads the following lines as data up to `\\.`.
This module follows psqlscan.l and psqlscanslash.l of PostgreSQL 15; tests/test_migrations_psql.py
runs the real psql on the same files and checks that they agree.

pglast's `scan()` is PostgreSQL's server lexer: it knows neither meta-commands nor `BEGIN ATOMIC`
boundaries, raises on an unterminated string, and takes 90 s on 20,000 statements with non-ASCII
text (its offsets are recomputed from the start), so this lexer is written out here; it knows just
what can hide a `;` or a backslash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""
      --[^\n\r]*
    | /\*
    | (?<![\w$])[Ee]'(?:[^'\\]|\\.|'')*(?:'|\Z)
    | '(?:[^']|'')*(?:'|\Z)
    | "(?:[^"]|"")*(?:"|\Z)
    | (?<![\w$])\$(?:[^\W\d]\w*)?\$
    | [();\\]
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD = r"(?<![\w$])[^\W\d][\w$]*"
_TOKEN_OR_WORD = re.compile(_TOKEN.pattern + "| (?P<word>" + _WORD + ")", re.VERBOSE | re.DOTALL)
_ROUTINE_WORDS = frozenset({"create", "function", "procedure", "or", "replace"})
_ROUTINE_WORDS = frozenset({"create", "function", "procedure", "or", "replace"})
_CREATE = re.compile(r"create(?![\w$])", re.IGNORECASE)
_COPY_FROM_STDIN = re.compile(r"copy\b.*?\bfrom\s+stdin\b", re.IGNORECASE | re.DOTALL)
_END_OF_DATA = re.compile(r"^\\\.\r?$", re.MULTILINE)
_COMMAND_NAME = re.compile(r"[^ \t\n\r\f\\]*")
_ARGUMENTS = re.compile(r"""(?:'(?:[^'\\\n]|\\.|'')*'?|"(?:[^"\n]|"")*"?|`[^`\n]*`?|[^\\\n'"`])*""")

# Meta-commands of psql 15 that send the statement typed so far (as `;` would).
SENDS = frozenset({"g", "gx", "gset", "gexec", "gdesc", "crosstabview", "watch"})
# Meta-commands whose argument is the whole rest of the line, backslashes included.
_WHOLE_LINE = frozenset({"copy", "!", "h", "help", "sf", "sf+", "sv", "sv+", "ef", "ev"})
KNOWN = frozenset(
    {
        *SENDS,
        *_WHOLE_LINE,
        *("a", "bind", "c", "connect", "C", "cd", "conninfo", "copyright", "dconfig", "e", "edit"),
        *("echo", "elif", "else", "encoding", "endif", "errverbose", "f", "H", "html", "i", "include"),
        *("if", "ir", "include_relative", "l", "list", "l+", "list+", "lo_export", "lo_import"),
        *("lo_list", "lo_unlink", "o", "out", "p", "print", "password", "prompt", "pset", "q", "quit"),
        *("qecho", "r", "reset", "s", "set", "setenv", "t", "T", "timing", "unset", "w", "write"),
        *("warn", "x", "z", "?"),
    }
)


def is_known(name: str) -> bool:
    """Whether psql knows the command (`\\d...` describe commands come in many spellings)."""
    return name in KNOWN or (name.startswith(("d", "z", "l", "s")) and name.rstrip("+S").isalpha())


@dataclass(frozen=True, slots=True)
class Command:
    """One psql meta-command: `\\<name> <arguments>` at characters start..end of the text."""

    name: str
    arguments: str  # without the white space around them
    start: int  # the backslash
    end: int
    arguments_at: int  # where `arguments` begin


@dataclass(slots=True)
class Split:
    text: str  # the text with meta-commands and COPY data blanked (line breaks kept)
    spans: list[tuple[int, int]] = field(default_factory=list)  # (start, stop) of each statement
    commands: list[Command] = field(default_factory=list)


def statement_spans(prepared: str) -> list[tuple[int, int]]:
    """(start, stop) character spans of a prepared text (meta-commands and COPY data already blank),
    `stop` being the index of the terminating `;` (or the end)."""
    return _Lexer(prepared, prepared=True).run().spans


def comments(prepared: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the comments PostgreSQL's scanner sees in a prepared text:
    `-- ...` to the end of the line and `/* ... */` (nested), never inside strings, quoted
    identifiers or dollar quotes."""
    found: list[tuple[int, int]] = []
    position = 0
    while (match := _TOKEN.search(prepared, position)) is not None:
        token, position = match.group(), match.end()
        if token.startswith("--"):
            found.append((match.start(), position))
        elif token == "/*":
            position = _end_of_block_comment(prepared, match.start())
            found.append((match.start(), position))
        elif token.startswith("$"):
            close = prepared.find(token, position)
            position = len(prepared) if close == -1 else close + len(token)
    return found


def split(text: str) -> Split:
    """The statements psql would send, its meta-commands, and the text the parser should see."""
    return _Lexer(text).run()


class _Lexer:
    def __init__(self, text: str, prepared: bool = False) -> None:
        self.text = text
        self.prepared = prepared  # COPY data is blank already: do not look for its end
        self.out: list[str] | None = None  # a mutable copy, made on the first blanking
        self.result = Split(text)
        self.start = 0  # where the current statement began
        self.depth = 0
        self.begin_depth = 0
        self.words: list[str] | None = None  # first letters of the first words, in CREATE FUNCTION
        self.data: tuple[int, int] | None = None  # COPY data to jump over when we reach it

    def run(self) -> Split:
        text, position = self.text, 0
        pattern = self._pattern()
        while (match := pattern.search(text, position)) is not None:
            if self.data is not None and match.start() >= self.data[0]:
                position, self.data = self.data[1], None
                continue
            token, position = match.group(), match.end()
            if token == "/*":
                position = _end_of_block_comment(text, match.start())
            elif token.startswith("$"):
                close = text.find(token, position)
                position = len(text) if close == -1 else close + len(token)
            elif token == "(":
                self.depth += 1
            elif token == ")":
                self.depth = max(self.depth - 1, 0)
            elif token == ";":
                if self.depth == 0 and self.begin_depth == 0:
                    self._end_statement(match.start(), position)
                    pattern = self._pattern()
            elif token == "\\":
                position = self._meta_command(match.start())
                pattern = self._pattern()
            elif match.lastgroup == "word":
                self._word(token)
        if self.data is not None and self.data[0] < len(text):
            self._blank(*self.data)
        if self.out is not None:
            self.result.text = "".join(self.out)
        if self.result.text[self.start :].strip():
            self.result.spans.append((self.start, len(text)))
        return self.result

    def _pattern(self) -> re.Pattern[str]:
        """Words matter only inside CREATE FUNCTION/PROCEDURE, where BEGIN ... END hides `;`."""
        if self.words is None:
            self.words = [] if _CREATE.match(self.text, skip_blank(self.text, self.start)) else None
        return _TOKEN if self.words is None else _TOKEN_OR_WORD

    def _word(self, word: str) -> None:
        lowered = word.lower()
        if self.words is None:
            return
        if len(self.words) < 4:
            self.words.append(lowered[0] if lowered in _ROUTINE_WORDS else "")
        first = [*self.words, "", "", ""][:4]
        in_routine = first[0] == "c" and (
            first[1] in ("f", "p") or (first[1] == "o" and first[2] == "r" and first[3] in ("f", "p"))
        )
        if not in_routine or self.depth:
            return
        if lowered == "begin" or (lowered == "case" and self.begin_depth):
            self.begin_depth += 1
        elif lowered == "end" and self.begin_depth:
            self.begin_depth -= 1

    def _visible(self, start: int, stop: int) -> str:
        return self.text[start:stop] if self.out is None else "".join(self.out[start:stop])

    def _end_statement(self, stop: int, after: int) -> None:
        statement = self._visible(self.start, stop)
        if statement.strip():
            self.result.spans.append((self.start, stop))
            if not self.prepared and _COPY_FROM_STDIN.match(statement, skip_blank(statement, 0)):
                self._copy_data(after)
        self.start = after
        self.depth = self.begin_depth = 0
        self.words = None

    def _copy_data(self, after: int) -> None:
        """psql reads COPY data from the line after the statement's, up to a line `\\.`."""
        newline = self.text.find("\n", after)
        if newline == -1:
            return
        end = _END_OF_DATA.search(self.text, newline + 1)
        self.data = (newline + 1, len(self.text) if end is None else end.end())
        self._blank(*self.data)

    def _meta_command(self, at: int) -> int:
        text = self.text
        if text[at + 1 : at + 2] in (";", ":"):  # `\;` and `\:` put the character in the statement
            self._blank(at, at + 1)
            return at + 2
        name = _COMMAND_NAME.match(text, at + 1)
        assert name is not None
        line_end = text.find("\n", at)
        line_end = len(text) if line_end == -1 else line_end
        if name.group() in _WHOLE_LINE or not is_known(name.group()):
            end = line_end  # an unknown command throws the rest of its line away
        else:
            arguments = _ARGUMENTS.match(text, name.end(), line_end)
            end = arguments.end() if arguments else name.end()
        raw = text[name.end() : end]
        arguments_at = name.end() + len(raw) - len(raw.lstrip())
        command = Command(name.group(), raw.strip(), at, end, arguments_at)
        self.result.commands.append(command)
        self._blank(at, end)
        if text.startswith("\\\\", end):  # the separator: SQL goes on after it
            self._blank(end, end + 2)
            end += 2
        if command.name in SENDS:
            self._send(at, end)
        elif command.name in ("r", "reset"):  # the statement typed so far is thrown away
            self._blank(self.start, at)
            self.start, self.depth, self.begin_depth, self.words = end, 0, 0, None
        elif command.name == "copy" and re.search(r"\bfrom\s+stdin\b", command.arguments, re.IGNORECASE):
            self._copy_data(end)
        return end

    def _send(self, at: int, after: int) -> None:
        """A command that sends the statement so far ends it, at any depth: mark the end with `;`."""
        assert self.out is not None
        self.out[at] = ";"
        if self._visible(self.start, at).strip():
            self._end_statement(at, after)
        else:
            self.start, self.depth, self.begin_depth, self.words = after, 0, 0, None

    def _blank(self, start: int, end: int) -> None:
        if self.out is None:
            self.out = list(self.text)
        for position in range(start, end):
            if self.out[position] != "\n":
                self.out[position] = " "


def skip_blank(text: str, position: int) -> int:
    """The first character at or after `position` outside white space and comments (an unterminated
    comment is not skipped: it is what the parser rejected)."""
    blank = _BLANK.match(text, position)
    return blank.end() if blank else position


_BLANK = re.compile(r"(?:\s+|--[^\n\r]*|/\*(?:(?!\*/).)*\*/)*", re.DOTALL)


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
