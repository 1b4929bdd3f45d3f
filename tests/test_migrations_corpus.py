"""The migration corpus: every file, in every layout, gives exactly the findings its .expected lists.

Each `<name>.sql` under tests/migrations_corpus/ sits next to `<name>.expected`, one finding per
line as `line:column rule-id`, with ` waived` when an inline waiver covers it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_gate.findings import Location
from connect_gate.mapping_config import MappingConfig, load_export
from connect_gate.migrations.analyse import analyse_files, analyse_sql
from connect_gate.migrations.discover import DEFAULT_PATTERNS, discover

CORPUS = Path(__file__).resolve().parent / "migrations_corpus"
CASES = sorted(path.relative_to(CORPUS).as_posix() for path in CORPUS.rglob("*.expected"))


def config() -> MappingConfig:
    return load_export(CORPUS / "connect-export.json")


def expected(case: str) -> list[str]:
    lines = (CORPUS / case).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def found(sql_file: Path) -> list[str]:
    name = sql_file.relative_to(CORPUS).as_posix()
    analysis = analyse_sql(sql_file.read_text(encoding="utf-8"), name, config())
    rows = [(f.location, f.check_id, "") for f in analysis.findings]
    rows += [(w.finding.location, w.finding.check_id, " waived") for w in analysis.waived]
    keyed = sorted((loc.line, loc.column or 0, rule, waived) for loc, rule, waived in rows if loc is not None)
    return [f"{line}:{column} {rule}{waived}" for line, column, rule, waived in keyed]


@pytest.mark.parametrize("case", CASES)
def test_corpus_file_gives_exactly_the_expected_findings(case: str) -> None:
    assert found(CORPUS / case.replace(".expected", ".sql")) == expected(case)


def test_default_patterns_find_every_layout_and_skip_down_files() -> None:
    files = discover((*DEFAULT_PATTERNS, "plain/*.sql"), CORPUS).files
    assert [path.relative_to(CORPUS).as_posix() for path in files] == [
        case.replace(".expected", ".sql") for case in CASES
    ]
    assert "golang-migrate/000002_search_path.down.sql" not in {
        p.relative_to(CORPUS).as_posix() for p in files
    }


def test_analyse_files_names_files_relative_to_the_repository_root() -> None:
    files = discover(("**/V*__*.sql",), CORPUS).files
    analysis = analyse_files(files, config(), CORPUS)
    assert {f.location.file for f in analysis.findings if f.location} == {"flyway/V1__foreign_keys.sql"}
    assert {f.scope.name for f in analysis.findings} == {"flyway/V1__foreign_keys.sql"}
    assert (analysis.files, analysis.statements) == (1, 6)


def test_the_examples_risky_migration_is_reported_and_the_safe_one_is_not() -> None:
    root = CORPUS.parent.parent
    files = discover(("examples/migrations/**/*.sql",), root).files
    analysis = analyse_files(files, load_export(root / "examples" / "connect-export.json"), root)
    assert [(f.location, f.check_id) for f in analysis.findings] == [
        (
            Location("examples/migrations/risky/V2__link_invoices_to_accounts.sql", 5, 44, 7, 1),
            "foreign-key-added-to-mapped-table",
        ),
        (
            Location("examples/migrations/risky/V2__link_invoices_to_accounts.sql", 9, 8, 9, 72),
            "write-to-read-write-mapping",
        ),
    ]
    assert analysis.files == 2
