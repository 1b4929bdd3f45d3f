"""entrypoint.py run as the Docker action runs it, its stdout read with the runner's own rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from helpers import ROOT, run_entrypoint
from runner_sim import parse_log, parse_outputs

from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.serialize import RESULTS_FORMAT, finding_to_dict

HOSTILE_MESSAGE = "100% sure:\r\n::add-mask::oops, commas, colons: and\n::error file=x.sql::forged %0A"
HOSTILE_FILE = "db/migrate/V2,evil:name.sql"
API_TEXT = "Heroku says\n::warning::not from us, 50%"


def action_env(workspace: Path, **inputs: str) -> dict[str, str]:
    """What the runner gives a Docker action step: every declared input (default or ""), and more."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    env = {f"INPUT_{name.upper()}": str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    env.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    (workspace / "event.json").write_text(
        json.dumps(
            {"pull_request": {"number": 42, "base": {"sha": "0123456789abcdef0123456789abcdef01234567"}}}
        )
    )
    env.update(
        GITHUB_ACTIONS="true",
        GITHUB_WORKSPACE=str(workspace),
        GITHUB_EVENT_PATH=str(workspace / "event.json"),
        GITHUB_EVENT_NAME="pull_request",
        GITHUB_OUTPUT=str(workspace / "output.txt"),
        GITHUB_STEP_SUMMARY=str(workspace / "summary.md"),
        GITHUB_REPOSITORY="acme/app",
    )
    (workspace / "output.txt").write_text("")
    (workspace / "summary.md").write_text("")
    return env


def write_inputs(workspace: Path) -> None:
    diagnostics = {
        "warnings": [{"display_name": "Weird: name, with comma", "message": API_TEXT, "rule_id": "NEW_RULE"}],
        "mappings": {
            "Account": {"errors": [{"display_name": "Unique Identifier", "message": "needs an id"}]}
        },
    }
    (workspace / "diagnostics.json").write_text(json.dumps(diagnostics))
    hostile = Finding(
        Source.MIGRATIONS,
        "demo-rule",
        "Hostile, but handled: yes",
        Scope(ScopeKind.FILE, HOSTILE_FILE),
        Status.RED,
        HOSTILE_MESSAGE,
        location=Location(HOSTILE_FILE, 3, 5, 3, 12),
    )
    saved = {"format": RESULTS_FORMAT, "version": 1, "findings": [finding_to_dict(hostile)]}
    (workspace / "saved.json").write_text(json.dumps(saved))


def test_the_step_blocks_with_exact_annotations_outputs_and_summary(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    env = action_env(tmp_path, **{"results-file": "saved.json"})
    result = run_entrypoint([], env, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    log = parse_log(result.stdout)
    assert {c.name for c in log.commands} <= {"stop-commands", "error", "warning", "notice"} | {
        c.name for c in log.commands if re.fullmatch(r"[0-9a-f]{32}", c.name)
    }
    [error] = log.named("error")
    assert error.properties == {
        "file": HOSTILE_FILE,
        "line": "3",
        "col": "5",
        "endColumn": "12",
        "title": f"RED: Hostile, but handled: yes ({HOSTILE_FILE})",
    }
    assert (
        error.message == HOSTILE_MESSAGE + "\nDecision: RED blocks by default (the built-in default policy)"
        "\nCheck: demo-rule (run `connect-gate explain demo-rule`)"
    )
    assert not log.named("add-mask", "warning")
    # the console report is shown as text, with the hostile lines inert
    assert "::add-mask::oops, commas, colons: and" in log.text
    assert (
        "connect-gate: BLOCKED: 1 finding blocks (1 check: 1 block, 0 warn, 0 waived, 0 pass, 0 skipped)"
        in log.text
    )
    outputs = parse_outputs((tmp_path / "output.txt").read_text())
    assert outputs == {
        "verdict": "block",
        "blocked": "1",
        "warned": "0",
        "waived": "0",
        "passed": "0",
        "skipped": "0",
        "status-green": "0",
        "status-skipped": "0",
        "status-yellow": "0",
        "status-red": "1",
        "status-error": "0",
        "junit-path": "connect-gate-report/junit.xml",
        "results-path": "connect-gate-report/results.json",
        "sarif-path": "connect-gate-report/results.sarif",
    }
    assert (tmp_path / outputs["junit-path"]).is_file()
    assert json.loads((tmp_path / outputs["results-path"]).read_text())["verdict"] == "block"
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("## ❌ connect-gate: blocked\n")
    assert "::add-mask::oops, commas, colons: and<br>::error file=x.sql::forged %0A" in summary
    assert result.stderr == ""


def test_api_text_in_titles_and_messages_cannot_forge_properties(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    env = action_env(tmp_path, **{"results-file": "diagnostics.json", "connection-name": "conn,x:y"})
    result = run_entrypoint([], env, cwd=tmp_path)
    assert result.returncode == 1
    log = parse_log(result.stdout)
    [warning] = log.named("warning")
    assert warning.properties == {"title": "YELLOW: Weird: name, with comma (conn,x:y)"}
    assert warning.message.startswith(API_TEXT + "\nDecision: YELLOW warns by default")
    [error] = log.named("error")
    assert error.properties == {"title": "RED: Unique Identifier (Account)"}


def test_a_rerun_from_the_results_file_decides_again_under_a_new_policy(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    first = run_entrypoint([], action_env(tmp_path, **{"results-file": "diagnostics.json"}), cwd=tmp_path)
    assert first.returncode == 1
    (tmp_path / "policy.yml").write_text(
        "version: 1\nwaivers:\n  - {check: Unique Identifier, mapping: Account, reason: 'External ID next sprint'}\n"
    )
    env = action_env(
        tmp_path,
        **{"results-file": "connect-gate-report/results.json", "policy": "policy.yml", "report-dir": "rerun"},
    )
    second = run_entrypoint([], env, cwd=tmp_path)
    assert second.returncode == 0, second.stdout
    outputs = parse_outputs((tmp_path / "output.txt").read_text())
    assert (outputs["verdict"], outputs["waived"], outputs["warned"]) == ("pass", "1", "1")
    [notice] = parse_log(second.stdout).named("notice")
    assert notice.message.startswith(
        "needs an id\nDecision: waived (policy.yml:3 waivers[0]): External ID next sprint"
    )


def test_bad_input_is_exit_2_with_an_error_annotation_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "policy.yml").write_text(
        "version: 1\nchecks:\n  - {check: Unique Identifer, action: block}\n"
    )
    write_inputs(tmp_path)
    env = action_env(
        tmp_path, **{"results-file": "diagnostics.json", "policy": "policy.yml", "verbose": "yes"}
    )
    result = run_entrypoint([], env, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "connect-gate: error: input `verbose` (INPUT_VERBOSE): expected true or false, got 'yes'\n",
    )
    env["INPUT_VERBOSE"] = "false"
    result = run_entrypoint([], env, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [error] = parse_log(result.stdout).named("error")
    assert error.properties == {"title": "connect-gate: error"}
    assert error.message.startswith("policy.yml:3: checks[0].check: unknown check 'Unique Identifer'")


def test_the_policy_is_found_in_its_default_place(tmp_path: Path) -> None:
    write_inputs(tmp_path)
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "connect-gate.yml").write_text(
        "version: 1\nchecks:\n  - {check: Unique Identifier, action: warn}\n"
    )
    result = run_entrypoint([], action_env(tmp_path, **{"results-file": "diagnostics.json"}), cwd=tmp_path)
    assert result.returncode == 0
    assert "connect-gate: policy: .github/connect-gate.yml" in result.stdout
