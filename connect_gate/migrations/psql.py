"""What psql's meta-commands in a migration do, for the analysis.

- `\\copy` runs a COPY: it is analysed as the COPY psql sends (`\\copy t from 'f.csv'` writes `t`).
- `\\i`, `\\include`, `\\ir`, `\\include_relative` run another file: the engine follows it.
- `\\gexec` runs the rows of a query as SQL and `\\gset` stores them in variables that later SQL can
  interpolate; `\\!`, `\\setenv`, pipes (`\\o |cmd`, `\\g |cmd`, `\\w |cmd`), back-quoted arguments
  and `\\copy ... program` run shell commands: the gate cannot see what they do, so each is a
  finding (`unanalysable-psql-command`).
- Every other meta-command is skipped on purpose: it prints (`\\echo`, `\\qecho`, `\\warn`, `\\p`,
  `\\d...`, `\\l`, `\\z`, `\\dconfig`...), sets psql's own options (`\\set`, `\\unset`, `\\pset`,
  `\\timing`, `\\x`, `\\a`, `\\t`, `\\f`, `\\C`, `\\H`, `\\T`, `\\encoding`, `\\errverbose`,
  `\\prompt`, `\\password`, `\\cd`, `\\c`/`\\connect`, `\\conninfo`), writes output (`\\o file`,
  `\\w file`), works on large objects (`\\lo_*`), branches (`\\if`, `\\elif`, `\\else`, `\\endif`: every
  branch is analysed), sends the statement typed so far (`\\g`, `\\gx`, `\\gdesc`, `\\crosstabview`,
  `\\watch`: it is analysed like one ended by `;`), throws it away (`\\r`) or quits (`\\q`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connect_gate.migrations.split import Command

INCLUDES = {"i": False, "include": False, "ir": True, "include_relative": True}  # name → relative to file
_SHELL_PIPE = frozenset({"o", "out", "g", "gx", "w", "write"})
_WORD = re.compile(r"""'(?:[^']|'')*'?|"(?:[^"]|"")*"?|[()]|[^\s()'"]+""")


@dataclass(frozen=True, slots=True)
class Include:
    target: str  # the file name as written
    relative: bool  # `\ir`: relative to the including file's folder, else to the working directory


def include(command: Command) -> Include | None:
    if command.name not in INCLUDES:
        return None
    target = command.arguments.split()[0] if command.arguments.split() else ""
    if target[:1] in ("'", '"') and target.endswith(target[0]) and len(target) > 1:
        target = target[1:-1]
    return Include(target, INCLUDES[command.name])


def unanalysable(command: Command) -> str:
    """Why the gate cannot analyse what this command runs ('' when it can)."""
    name, arguments = command.name, command.arguments
    if name == "gexec":
        return "\\gexec runs each value the query returns as SQL: the gate cannot analyse that generated SQL."
    if name == "gset":
        return (
            "\\gset stores the query's results in psql variables that later statements can "
            "interpolate (:name): the gate cannot analyse SQL built that way."
        )
    if name in ("!", "setenv") or (name in _SHELL_PIPE and arguments.startswith("|")):
        return f"\\{name} runs a shell command: the gate cannot see what it does to the database."
    if "`" in arguments and name not in ("copy", "echo", "qecho", "warn"):
        return (
            f"\\{name} has a back-quoted argument, which psql runs as a shell command: "
            "the gate cannot see what it does."
        )
    if name == "copy" and re.search(r"\b(?:from|to)\s+program\b", arguments, re.IGNORECASE):
        return "\\copy ... program runs a shell command: the gate cannot see what it does."
    return ""


def copy_statement(arguments: str) -> str | None:
    """The COPY statement psql sends for `\\copy <arguments>` (None when it has no FROM or TO)."""
    depth = 0
    words = list(_WORD.finditer(arguments))
    for number, word in enumerate(words):
        token = word.group()
        depth += token == "("
        depth -= token == ")"
        if depth or number == 0 or token.lower() not in ("from", "to"):
            continue
        source = words[number + 1 : number + 2]
        if source and source[0].group().lower() == "program":
            source = words[number + 1 : number + 3]
        rest = arguments[source[-1].end() :] if source else ""
        end = "FROM STDIN" if token.lower() == "from" else "TO STDOUT"
        return f"COPY {arguments[: word.start()]}{end}{rest}"
    return None
