"""Per-step annotation limits: most severe first, and the first of a kind says how many there are."""

from __future__ import annotations

import datetime

from runner_sim import parse_log

from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.policy.model import DEFAULT_POLICY
from connect_gate.reporters.annotations import PER_KIND_LIMIT, render_annotations
from connect_gate.reporters.summary import SIZE_BUDGET, render_summary


def decision(index: int, status: Status, outcome: Outcome, message: str = "") -> Decision:
    scope = Scope(ScopeKind.FILE, f"m/{index:03}.sql")
    finding = Finding(
        Source.MIGRATIONS,
        "r",
        f"Rule {index}",
        scope,
        status,
        message or f"problem {index}",
        location=Location(scope.name, index + 1, None, index + 3),
    )
    return Decision(finding, outcome, "because")


def test_only_ten_of_a_kind_most_severe_first_and_the_first_says_how_many() -> None:
    decisions = [decision(i, Status.YELLOW, Outcome.WARN) for i in range(12)]
    decisions += [
        decision(100 + i, Status.YELLOW if i % 2 else Status.ERROR, Outcome.BLOCK) for i in range(25)
    ]
    decisions += [decision(200, Status.RED, Outcome.WAIVED)]
    log = parse_log(render_annotations(decisions, "report/junit.xml"))
    errors, warnings, notices = log.named("error"), log.named("warning"), log.named("notice")
    assert (len(errors), len(warnings), len(notices)) == (PER_KIND_LIMIT, PER_KIND_LIMIT, 1)
    assert errors[0].message.startswith(
        "[25 blocking findings; only the first 10 are annotated. All of them are in the job summary and in "
        "report/junit.xml.]\nproblem 100"
    )
    assert all(e.properties["title"].startswith("ERROR") for e in errors)  # ERROR before YELLOW
    assert warnings[0].message.startswith("[12 warnings; only the first 10 are annotated.")
    assert not notices[0].message.startswith("[")
    assert errors[1].properties == {
        "file": "m/102.sql",
        "line": "103",
        "endLine": "105",
        "title": "ERROR: Rule 102 (m/102.sql)",
    }


def test_long_messages_are_cut_below_the_runner_limit() -> None:
    log = parse_log(render_annotations([decision(1, Status.RED, Outcome.BLOCK, "x" * 10_000)], "j"))
    message = log.commands[0].message
    assert len(message) == 4000
    # the message is cut, not what follows it: the decision and the check's id always show
    head, tail = message.split("…\n")
    assert set(head) == {"x"}
    assert tail == "Decision: because\nCheck: r (run `connect-gate explain r`)"


def test_the_summary_stays_under_a_mebibyte_and_says_what_it_left_out() -> None:
    decisions = [decision(i, Status.RED, Outcome.BLOCK, "y" * 3_000) for i in range(600)]
    summary = render_summary(decisions, DEFAULT_POLICY, datetime.date(2026, 11, 27), "report/junit.xml")
    assert len(summary.encode()) < SIZE_BUDGET
    assert "more rows | | see report/junit.xml" in summary
