"""SARIF 2.1.0 for GitHub code scanning: valid against the schema, levels, suppressions, fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from connect_gate.checks import own_checks
from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.mapping_config import load_export
from connect_gate.migrations.analyse import analyse_sql
from connect_gate.reporters.sarif import render_sarif

SCHEMA = json.loads((Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json").read_text())
EXPORT = Path(__file__).resolve().parent.parent / "examples" / "connect-export.json"
SQL = (
    "-- connect-gate: ignore truncate-mapped-table because the mapping is reloaded after deploy\n"
    "TRUNCATE salesforce.contact;\n"
    "UPDATE salesforce.account SET name = 'Zoë';\n"
    "CREATE INDEX CONCURRENTLY account_name ON salesforce.account (name);\n"
)


def decisions(sql: str = SQL) -> list[Decision]:
    analysis = analyse_sql(sql, "db/migrations/7_backfill.sql", load_export(EXPORT))  # a file psql runs
    decided = [
        Decision(f, Outcome.BLOCK if f.status is Status.RED else Outcome.WARN, f"{f.status.value} by default")
        for f in analysis.findings
    ]
    decided += [
        Decision(w.finding, Outcome.WAIVED, f"waived in the SQL: {w.reason}") for w in analysis.waived
    ]
    diagnostic = Finding(
        Source.DIAGNOSTICS,
        "SHOULD_HAVE_LOG_DRAIN",
        "Configured Logging",
        Scope(ScopeKind.CONNECTION, "app"),
        Status.YELLOW,
        "No log drain.",
    )
    return [*decided, Decision(diagnostic, Outcome.WARN, "YELLOW warns by default")]


def errors(document: dict[str, Any]) -> list[str]:
    return [error.message for error in jsonschema.Draft202012Validator(SCHEMA).iter_errors(document)]


def test_the_document_is_valid_sarif_2_1_0() -> None:
    document = render_sarif(decisions(), own_checks())
    assert errors(document) == []
    assert document["version"] == "2.1.0"


def test_the_schema_check_would_catch_a_broken_document() -> None:
    document = render_sarif(decisions(), own_checks())
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert errors(document) == ["'fatal' is not one of ['none', 'note', 'warning', 'error']"]


def test_results_carry_rule_level_message_and_region_of_the_statement() -> None:
    results = render_sarif(decisions(), own_checks())["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]) for r in results] == [
        (
            "write-to-read-write-mapping",
            "error",
            {"startLine": 3, "startColumn": 8, "endLine": 3, "endColumn": 43},
        ),
        (
            "index-lost-on-reimport",
            "warning",
            {"startLine": 4, "startColumn": 43, "endLine": 4, "endColumn": 68},
        ),
        ("truncate-mapped-table", "note", {"startLine": 2, "startColumn": 10, "endLine": 2, "endColumn": 28}),
    ]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "db/migrations/7_backfill.sql",
        "uriBaseId": "%SRCROOT%",
    }
    assert results[0]["message"]["text"] == (
        "Updates salesforce.account (Account), a read-write mapping: Heroku Connect captures the change and "
        "writes it to Salesforce, so this migration changes production Salesforce data.\n"
        "Decision: RED by default"
    )


def test_a_waived_result_is_a_note_with_an_in_source_suppression_and_its_reason() -> None:
    waived = render_sarif(decisions(), own_checks())["runs"][0]["results"][2]
    assert waived["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "waived in the SQL: the mapping is reloaded after deploy",
        }
    ]


def test_rules_come_from_the_registry_with_their_default_level() -> None:
    rules = render_sarif(decisions(), own_checks())["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["id"], r["defaultConfiguration"]["level"]) for r in rules] == [
        ("write-to-read-write-mapping", "error"),
        ("index-lost-on-reimport", "warning"),
        ("truncate-mapped-table", "error"),
    ]
    assert rules[0]["shortDescription"] == {
        "text": "A migration inserts, updates or deletes rows of a read-write mapped table."
    }
    assert rules[0]["help"]["text"].startswith("A migration inserts, updates or deletes rows")


def test_findings_without_a_file_location_are_left_out() -> None:
    results = render_sarif(decisions(), own_checks())["runs"][0]["results"]
    assert "SHOULD_HAVE_LOG_DRAIN" not in {r["ruleId"] for r in results}


def test_fingerprints_survive_lines_added_above_and_tell_twins_apart() -> None:
    before = render_sarif(decisions(), own_checks())["runs"][0]["results"]
    after = render_sarif(decisions("-- a new comment line\n\n" + SQL), own_checks())["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    twice = "UPDATE salesforce.account SET name = 'a';\nUPDATE salesforce.account SET name = 'a';\n"
    twins = render_sarif(decisions(twice), own_checks())["runs"][0]["results"]
    prints = [r["partialFingerprints"]["connectGate/v1"] for r in twins]
    assert prints[0] != prints[1] and prints[0].endswith(":1") and prints[1].endswith(":2")
