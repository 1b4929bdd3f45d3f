"""Every reporter against a golden file. `UPDATE_GOLDEN=1 pytest` rewrites them after a deliberate change."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest
from helpers import GOLDEN, SEED_RESULTS

from connect_gate.decide import Decision, decide
from connect_gate.document import load_json
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.policy.load import load_policy
from connect_gate.policy.model import Policy
from connect_gate.reporters.annotations import render_annotations
from connect_gate.reporters.console import render_console
from connect_gate.reporters.junit import render_junit
from connect_gate.reporters.outputs import output_values, render_outputs
from connect_gate.reporters.results_json import render_results_json
from connect_gate.reporters.summary import render_summary
from connect_gate.sources.diagnostics import read_results
from connect_gate.verdict import verdict_of

TODAY = datetime.date(2026, 11, 27)
POLICY_FILE = Path(__file__).parent / "data" / "golden-policy.yml"
HOSTILE = Finding(
    Source.MIGRATIONS,
    "demo-rule",
    "Hostile text, handled",
    Scope(ScopeKind.FILE, "db/migrate/V2,evil:name.sql"),
    Status.RED,
    "100% sure:\r\n::add-mask::oops, a | pipe <b>bold</b> and ::error::forged",
    location=Location("db/migrate/V2,evil:name.sql", 3, 5, 3, 42),
)


def scenario() -> tuple[list[Decision], Policy]:
    policy = load_policy(os.path.relpath(POLICY_FILE))
    findings = read_results(load_json(os.path.relpath(SEED_RESULTS), "results"), "protected-ridge-4963")
    return decide([*findings, HOSTILE], policy, TODAY), policy


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    data = text.encode("utf-8")  # bytes: a CR in a message must survive, not become a newline
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert path.read_bytes() == data, f"{name} differs; UPDATE_GOLDEN=1 if deliberate"


@pytest.mark.parametrize("verbose", [False, True])
def test_console(verbose: bool) -> None:
    decisions, _ = scenario()
    check_golden(f"console{'-verbose' if verbose else ''}.txt", render_console(decisions, verbose))


def test_junit() -> None:
    decisions, _ = scenario()
    check_golden("junit.xml", render_junit(decisions))


def test_annotations() -> None:
    decisions, _ = scenario()
    check_golden("annotations.txt", render_annotations(decisions, "connect-gate-report/junit.xml"))


def test_summary() -> None:
    decisions, policy = scenario()
    check_golden("summary.md", render_summary(decisions, policy, TODAY, "connect-gate-report/junit.xml"))


def test_results_json() -> None:
    decisions, policy = scenario()
    text = render_results_json(decisions, policy, TODAY)
    check_golden("results.json", text)
    assert json.loads(text)["verdict"] == "block"


def test_outputs() -> None:
    decisions, _ = scenario()
    values = output_values(
        verdict_of(decisions), {"junit-path": "r/junit.xml", "results-path": "r/results.json"}
    )
    check_golden("outputs.json", json.dumps(values, indent=2) + "\n")
    text = render_outputs(values)
    assert text.count("<<ghadelimiter_") == len(values)
    assert text.endswith("\n")
