"""Where a finding on a recorded statement is shown: its line in the migration file, the file, or nowhere.

A finding of the migration rules on a recorded statement's text carries that text's lines; it is
moved onto the migration file that holds the text (trace.locate), else onto the migration the
framework recorded for its transaction (quoting the statement; on the line of the call when the
statement's comment says it, as Rails' query log tags do with `source_location`, else line 1),
else it quotes the statement under the sandbox's scope.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from connect_gate.findings import Finding, Location, Scope, ScopeKind
from connect_gate.sandbox.trace import Placement

SANDBOX = "sandbox"  # the scope of what cannot be traced to a file, and the database checks' connection
QUOTE_LENGTH = 300

Placer = Callable[[Finding], Finding]


def placer(query: str, placement: Placement | None, migration: str | None, line: int = 1) -> Placer:
    """How each finding on the statement `query` is placed (see the module's docstring).

    `line` is the line of the migration that sent the statement, when the framework said (else 1).
    """
    if placement is not None:
        return lambda finding: in_file(finding, placement)
    quoted = quote(query)
    if migration is not None:
        return lambda finding: dataclasses.replace(
            finding,
            scope=Scope(ScopeKind.FILE, migration),
            message=f"{finding.message} Statement run by this migration: {quoted}",
            location=Location(migration, line),
        )
    return lambda finding: dataclasses.replace(
        finding,
        scope=Scope(ScopeKind.DATABASE, SANDBOX),
        message=f"{finding.message} Statement: {quoted}",
        location=None,
    )


def in_file(finding: Finding, placement: Placement) -> Finding:
    """The finding with its span moved from the statement's text to the file's lines and columns."""
    where = finding.location
    if where is None:
        return dataclasses.replace(finding, scope=Scope(ScopeKind.FILE, placement.file))
    line, shift = placement.line(where.line)
    end_line, end_shift = placement.line(where.end_line or where.line)
    return dataclasses.replace(
        finding,
        scope=Scope(ScopeKind.FILE, placement.file),
        location=Location(
            placement.file,
            line,
            None if where.column is None else where.column + shift,
            end_line,
            None if where.end_column is None else where.end_column + end_shift,
        ),
    )


def quote(query: str) -> str:
    """The statement on one line, cut to QUOTE_LENGTH characters."""
    text = re.sub(r"\s+", " ", query).strip()
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1] + "…"
