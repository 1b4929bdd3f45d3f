"""The Bad and Good examples in the documentation of the migration rules, run through the gate.

Each rule's docstring (docs/checks.md) shows SQL under "Bad" and "Good": the Bad SQL must give a
finding of that rule, the Good SQL none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checks import migrations as migration_checks
from connect_gate.check import Reads
from connect_gate.mapping_config import load_export
from connect_gate.migrations.analyse import analyse_sql

EXPORT = Path(__file__).resolve().parent.parent / "examples" / "connect-export.json"
RULES = {check.info.id: check.info for check in migration_checks.CHECKS}
# Rules whose examples are whole SQL (the others' Good is advice in prose, or they judge files).
EXAMPLED = [
    rule
    for rule, info in RULES.items()
    if info.reads is Reads.STATEMENT or rule in ("unanalysable-psql-command", "unparsable-statement")
]


def example(doc: str, heading: str) -> str:
    """The indented SQL under `heading` ("Bad" or "Good") up to the next unindented paragraph."""
    lines = doc.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    code: list[str] = []
    for line in lines[start + 1 :]:
        if line and not line.startswith("    "):
            if code:
                break
            continue
        code.append(line[4:])
    return "\n".join(code).strip()


def rules_found(sql: str) -> set[str]:
    analysis = analyse_sql(sql, "example.sql", load_export(EXPORT))
    return {finding.check_id for finding in analysis.findings}


@pytest.mark.parametrize("rule", EXAMPLED)
def test_the_bad_example_is_reported_and_the_good_one_is_not(rule: str) -> None:
    doc = RULES[rule].doc
    bad, good = example(doc, "Bad"), example(doc, "Good")
    assert bad, f"{rule}: no Bad SQL"
    assert rule in rules_found(bad)
    if good:
        assert rule not in rules_found(good)


def test_every_new_rule_has_sql_examples() -> None:
    for rule in ("view-over-mapped-table", "object-created-in-connect-schema", "connect-trigger-disabled"):
        assert re.search(r"\n    \S", RULES[rule].doc.split("Good", 1)[1]), rule
