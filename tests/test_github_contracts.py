"""Our outputs against the rules of the programs that read them, as their source has them.

- actions/runner (https://github.com/actions/runner): src/Runner.Worker/ExecutionContext.cs
  AddIssue keeps the first `_maxCountPerIssueType` (10) annotations of each kind of a step and
  cuts a message at `_maxIssueMessageLength` (4096) C# chars, i.e. UTF-16 code units;
  src/Runner.Worker/FileCommandManager.cs refuses a step summary over `AttachmentSizeLimit`
  (1024 * 1024 bytes) whole.
- github/codeql-action (https://github.com/github/codeql-action): src/upload-lib.ts validates the
  SARIF log against the 2.1.0 schema and reports an `artifactLocation.uri` that is not a URI
  reference; code scanning takes at most 25,000 results per run.
- EnricoMi/publish-unit-test-result-action keys test cases by class and name.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import run_entrypoint
from runner_sim import parse_log
from test_runner_contract import action_env

from checks import own_checks
from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.policy.model import DEFAULT_POLICY, Policy, Selector, Waiver
from connect_gate.reporters.annotations import PER_KIND_LIMIT, render_annotations, utf16_length
from connect_gate.reporters.junit import render_junit
from connect_gate.reporters.sarif import MAX_RESULTS, render_sarif
from connect_gate.reporters.summary import summarize
from connect_gate.serialize import RESULTS_FORMAT, finding_to_dict, location_to_dict

RUNNER_MESSAGE_LIMIT = 4096  # ExecutionContext.cs `_maxIssueMessageLength`
RUNNER_SUMMARY_LIMIT = 1024 * 1024  # FileCommandManager.cs `AttachmentSizeLimit`
TODAY = datetime.date(2026, 11, 27)


def runner_cut(message: str) -> str:
    """`issue.Message[.._maxIssueMessageLength]`: the first 4096 UTF-16 code units."""
    units = message.encode("utf-16-le")
    return units[: RUNNER_MESSAGE_LIMIT * 2].decode("utf-16-le", errors="replace")


def finding(
    index: int, status: Status = Status.RED, file: str | None = "db/V1.sql", message: str = ""
) -> Finding:
    scope = Scope(ScopeKind.FILE, file) if file else Scope(ScopeKind.CONNECTION, "shop")
    location = Location(file, index + 1, 1, index + 1, 5) if file else None
    return Finding(
        Source.MIGRATIONS,
        "write-to-read-write-mapping",
        "Data change pushed to Salesforce",
        scope,
        status,
        message or f"problem {index}",
        location=location,
    )


def decided(findings: list[Finding], outcome: Outcome = Outcome.BLOCK) -> list[Decision]:
    return [Decision(f, outcome, "RED blocks by default") for f in findings]


# ---- annotations --------------------------------------------------------------------------------


def test_an_emoji_heavy_message_keeps_its_own_ending_after_the_runners_cut() -> None:
    reason = "Waived until the Salesforce release 🚀🎉 " * 300  # 2 UTF-16 units per emoji
    log = parse_log(render_annotations(decided([finding(1, message=reason)]), "junit.xml"))
    message = log.commands[0].message
    assert utf16_length(message) <= RUNNER_MESSAGE_LIMIT
    assert runner_cut(message) == message  # the runner cuts nothing: the message keeps its ending
    assert message.endswith(
        "Check: write-to-read-write-mapping (run `connect-gate explain write-to-read-write-mapping`)"
    )
    assert "…\nDecision: RED blocks by default\n" in message  # the reason's head is what was cut
    assert "\ufffd" not in message


def test_the_ten_error_slots_go_to_findings_with_a_file_and_line_first() -> None:
    unlocated = [finding(i, file=None) for i in range(15)]
    located = [finding(i) for i in range(26)]
    log = parse_log(render_annotations(decided(unlocated + located), "junit.xml"))
    errors = log.named("error")
    assert len(errors) == PER_KIND_LIMIT
    assert all("file" in e.properties and "line" in e.properties for e in errors)
    assert errors[0].message.startswith("[41 blocking findings; only the first 10 are annotated.")


def test_set_up_warnings_come_first_and_keep_their_slots(tmp_path: Path) -> None:
    warnings = [finding(i, Status.YELLOW) for i in range(12)]
    saved = {"format": RESULTS_FORMAT, "version": 1, "findings": [finding_to_dict(f) for f in warnings]}
    (tmp_path / "saved.json").write_text(json.dumps(saved))
    (tmp_path / "connect-export.json").write_text(json.dumps({"version": 1, "mappings": []}))
    env = action_env(
        tmp_path,
        **{
            "results-file": "saved.json",
            "migrations": "db/*.sql",
            "changed-only": "true",  # in a workspace that is no git checkout: a set-up warning
            "mapping-config": "connect-export.json",
        },
    )
    result = run_entrypoint([], env, cwd=tmp_path)
    log = parse_log(result.stdout)
    warnings_seen = log.named("warning")
    kept = warnings_seen[:PER_KIND_LIMIT]  # what the runner keeps of the step
    setup = [w for w in warnings_seen if w.properties["title"] == "connect-gate set-up"]
    assert setup and kept[: len(setup)] == setup, result.stdout  # printed first: all kept
    assert len(warnings_seen) == PER_KIND_LIMIT  # no finding warning pushed out by a set-up one
    slots = PER_KIND_LIMIT - len(setup)
    assert kept[len(setup)].message.startswith(f"[12 warnings; only the first {slots} are annotated.")


def test_all_findings_are_said_to_be_in_the_summary_only_when_they_are() -> None:
    findings = [finding(i, message="y" * 3_000) for i in range(600)]
    summary = summarize(decided(findings), DEFAULT_POLICY, TODAY, "junit.xml")
    assert summary.left_out > 0
    full = render_annotations(decided(findings), "junit.xml", in_summary=summary.left_out == 0)
    assert "All of them are in junit.xml.]" in full and "job summary" not in full
    few = render_annotations(decided(findings[:11]), "junit.xml")
    assert "All of them are in the job summary and in junit.xml.]" in few


# ---- JUnit --------------------------------------------------------------------------------------


def test_junit_case_names_are_unique_within_their_class() -> None:
    twice_on_a_line = [finding(3), finding(3), finding(7)]
    root = ET.fromstring(render_junit(decided(twice_on_a_line)).encode())
    keys = [(case.get("classname"), case.get("name")) for case in root.iter("testcase")]
    assert Counter(keys).most_common(1)[0][1] == 1
    assert [name for _, name in keys] == [
        "Data change pushed to Salesforce (line 4)",
        "Data change pushed to Salesforce (line 4) #2",
        "Data change pushed to Salesforce (line 8)",
    ]


# ---- SARIF --------------------------------------------------------------------------------------

AWKWARD = ["db/100% done.sql", "db/#1?.sql", "db/a:b.sql", "db/ü ö.sql", "db/a|b\nc.sql"]


@pytest.mark.parametrize("file", AWKWARD)
def test_sarif_uris_are_percent_encoded_references_relative_to_srcroot(file: str) -> None:
    log = render_sarif(decided([finding(1, file=file)]), own_checks())
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uriBaseId"] == "%SRCROOT%"
    uri = location["uri"]
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("", "", "", "")
    assert all(c.isascii() and (c.isalnum() or c in "-._~/%") for c in uri), uri  # RFC 3986 unreserved
    assert unquote(uri) == file


def test_sarif_uri_outside_the_workspace_is_an_absolute_file_uri() -> None:
    log = render_sarif(decided([finding(1, file="/opt/other/V1 .sql")]), own_checks(), "/github/workspace")
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "file:///opt/other/V1%20.sql"}


def test_sarif_holds_at_most_25000_results_and_says_so() -> None:
    many = decided([finding(i) for i in range(MAX_RESULTS + 7)])
    run = render_sarif(many, own_checks())["runs"][0]
    assert len(run["results"]) == MAX_RESULTS
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert "25007 results; only the first 25000" in note["message"]["text"]
    assert "invocations" not in render_sarif(many[:10], own_checks())["runs"][0]


def test_every_sarif_rule_has_a_help_uri() -> None:
    diagnostic = Finding(
        Source.DIAGNOSTICS,
        "NEW_RULE",
        "A rule Heroku added",
        Scope(ScopeKind.FILE, "db/V1.sql"),
        Status.YELLOW,
        "x",
        location=Location("db/V1.sql", 1, None, None, None),
    )
    rules = render_sarif(decided([finding(1), diagnostic]), own_checks())["runs"][0]["tool"]["driver"][
        "rules"
    ]
    assert [r["helpUri"] for r in rules] == [
        own_checks()["write-to-read-write-mapping"].url,  # the check's own documentation
        "https://github.com/connect-gate/connect-gate/blob/main/docs/checks.md#heroku-connect-diagnostics",
    ]
    assert all(r["helpUri"].startswith("https://") for r in rules)
    docs = (Path(__file__).resolve().parent.parent / "docs" / "checks.md").read_text()
    assert "\n## Heroku Connect diagnostics\n" in docs  # the anchor exists


# ---- job summary --------------------------------------------------------------------------------


def table_rows(markdown: str) -> list[list[str]]:
    """Rows of the Markdown tables as GitHub splits them: on `|` not escaped by a backslash."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            parts, cell, escaped = [], "", False
            for char in line[1:]:
                if char == "|" and not escaped:
                    parts.append(cell)
                    cell = ""
                else:
                    cell += char
                escaped = char == "\\" and not escaped
            rows.append(parts)
    return rows


def test_every_summary_cell_is_escaped_file_names_included() -> None:
    findings = [finding(1, file="db/a|b\nc.sql"), finding(2, file="db/x`y.sql")]
    text = summarize(decided(findings), DEFAULT_POLICY, TODAY, "junit.xml").text
    rows = table_rows(text)
    assert {len(row) for row in rows} == {len(rows[0])} | {6}  # counts table, then six columns
    assert r"db/a\|b<br>c.sql:2:1" in text


def test_the_summary_budget_counts_the_waivers_table_too() -> None:
    findings = [finding(i, message="z" * 40) for i in range(20_000)]
    waivers = tuple(
        Waiver(
            Selector("write-to-read-write-mapping"),
            f"{'w' * 200} {i}",
            f"policy.yml:{i} waivers[{i}]",
            "policy.yml",
            i,
        )
        for i in range(300)
    )
    policy = Policy("policy.yml", waivers=waivers)
    summary = summarize(decided(findings), policy, TODAY, "junit.xml")
    assert len((summary.text + "\n").encode()) <= RUNNER_SUMMARY_LIMIT
    assert summary.left_out > 0
    assert "### Waivers" in summary.text


def test_a_location_is_written_with_every_field_asdict_would_write() -> None:
    """results.json writes Location field by field (asdict was slow): a new field must appear too."""
    for location in (Location("db/a b.sql", 3), Location("x.sql", 1, 2, 4, 9)):
        assert location_to_dict(location) == dataclasses.asdict(location)
        assert list(location_to_dict(location)) == [field.name for field in dataclasses.fields(Location)]
