"""Every Bad and Good example in a check's docstring (its documentation) is run: the Bad one must
trigger the check, the Good one nothing at all.

Examples are the indented blocks under a paragraph that starts with "Bad" or "Good". Migration
rules read them as a migration file (an `\\i`/`\\ir` of a file inside the repository finds one);
database checks run them on a freshly seeded database. Prose examples (a state of Heroku, a
Django data migration) are exercised by the tests of their sources.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from conftest_pg import Database

from connect_gate.check import CheckInfo, Reads
from connect_gate.checks import CHECKS
from connect_gate.database.run import run_database_checks
from connect_gate.database.seed import seed
from connect_gate.findings import Status
from connect_gate.mapping_config import load_export
from connect_gate.migrations.analyse import analyse_files

EXPORT = Path(__file__).resolve().parent.parent / "examples" / "connect-export.json"
_INCLUDE = re.compile(r"^\\ir?\s+(\S+)", re.MULTILINE)


def examples(doc: str) -> dict[str, list[str]]:
    """The indented code blocks under each "Bad..." and "Good..." paragraph."""
    found: dict[str, list[str]] = {"Bad": [], "Good": []}
    kind = ""
    block: list[str] = []
    for line in [*doc.splitlines(), "end"]:
        if line.startswith("    ") or (block and not line.strip()):
            block.append(line)
            continue
        if block and kind:
            found[kind].append(textwrap.dedent("\n".join(block)).strip() + "\n")
        block = []
        heading = re.match(r"(Bad|Good)\b", line)
        if heading:
            kind = heading.group(1)
    return found


def with_examples(*reads: Reads) -> list[tuple[CheckInfo, str, str]]:
    return [
        (check.info, kind, code)
        for check in CHECKS
        if check.info.reads in reads
        for kind, codes in examples(check.info.doc).items()
        for code in codes
    ]


MIGRATION_EXAMPLES = with_examples(Reads.STATEMENT, Reads.MIGRATION_FILE)
DATABASE_EXAMPLES = with_examples(Reads.DATABASE)


def test_the_examples_are_found() -> None:
    statement_rules = [c for c in CHECKS if c.info.reads is Reads.STATEMENT]
    assert {info.id for info, kind, _ in MIGRATION_EXAMPLES if kind == "Bad"} >= {
        c.info.id for c in statement_rules
    }
    assert len(DATABASE_EXAMPLES) >= 10


def migration_findings(tmp_path: Path, sql: str) -> list[str]:
    root = tmp_path / "repo"
    migration = root / "db" / "V1__example.sql"
    migration.parent.mkdir(parents=True)
    migration.write_text(sql, encoding="utf-8")
    for included in _INCLUDE.findall(sql):
        target = (migration.parent / included).resolve()
        if target.is_relative_to(root):
            target.write_text("SELECT 1;\n", encoding="utf-8")
    analysis = analyse_files([migration], load_export(EXPORT), root)
    return [finding.check_id for finding in analysis.findings]


@pytest.mark.parametrize(
    ("check", "kind", "sql"), MIGRATION_EXAMPLES, ids=[f"{c.id}-{k}" for c, k, _ in MIGRATION_EXAMPLES]
)
def test_a_migration_rule_example(tmp_path: Path, check: CheckInfo, kind: str, sql: str) -> None:
    found = migration_findings(tmp_path, sql)
    if kind == "Bad":
        assert check.id in found
    else:
        assert found == []


@pytest.mark.parametrize(
    ("check", "kind", "sql"), DATABASE_EXAMPLES, ids=[f"{c.id}-{k}" for c, k, _ in DATABASE_EXAMPLES]
)
def test_a_database_check_example(
    empty_db: Database, tmp_path: Path, check: CheckInfo, kind: str, sql: str
) -> None:
    export = json.loads(EXPORT.read_text())
    export["mappings"][0]["config"]["upsert_field"] = "External_ID__c"  # Account: so its examples apply
    (tmp_path / "export.json").write_text(json.dumps(export))
    config = load_export(tmp_path / "export.json")
    seed(empty_db.url, config)
    empty_db.execute(sql)
    found = {f.check_id for f in run_database_checks(empty_db.url, config) if f.status is not Status.GREEN}
    if kind == "Bad":
        assert check.id in found
    else:
        assert found == set()
