"""POST .../validations, then polling result_url: cadence, Retry-After, deadline, progress.

The contract is the official plugin's (heroku/heroku-connect-plugin, src/commands/connect/diagnose.ts):
POST /api/v3/connections/{id}/validations, read `result_url`, GET it until it answers 200.
"""

from __future__ import annotations

import re

import pytest
from fake_heroku import (
    API_KEY,
    FAST,
    FakeHeroku,
    Fault,
    SteppingClock,
    seed_connection,
)

from connect_gate.errors import ServiceError
from connect_gate.heroku import connect
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.session import HerokuSession
from connect_gate.heroku.validations import (
    DIAGNOSTICS_POLLING,
    collect_results,
    run_validations,
    start_validations,
)
from connect_gate.workflow import SILENT, Progress

RESULTS = "/api/v3/validations/"


def diagnose(fake: FakeHeroku, seconds: float = 5.0, lines: list[str] | None = None) -> object:
    progress = Progress(write=(lines if lines is not None else []).append)
    with HerokuSession(API_KEY, "the Heroku Connect API") as session:
        deadline = Deadline.after(seconds, "timeout", fake.clock)
        (found,) = connect.connections(session, fake.url, "protected-ridge-4963", "", deadline)
        return run_validations(session, found, deadline, progress, FAST)


def test_the_default_cadence_is_the_official_plugins_every_500_ms() -> None:
    # heroku/heroku-connect-plugin, src/commands/connect/diagnose.ts: `await timeout(500)` between
    # GETs of result_url until one answers 200.
    assert DIAGNOSTICS_POLLING.waits() == (0.5,) * 12


def test_results_ready_on_the_fourth_look_cost_four_requests_two_seconds_apart() -> None:
    ticks = SteppingClock()
    with FakeHeroku(API_KEY, clock=ticks.clock) as fake, HerokuSession(API_KEY, "Connect") as session:
        fake.add_connection(seed_connection(pending_polls=3))
        deadline = Deadline.after(5, "timeout", ticks.clock)
        (found,) = connect.connections(session, fake.url, "protected-ridge-4963", "", deadline)
        run_validations(session, found, deadline, SILENT)
        # The plugin asks at once, then every 500 ms (5 GETs by 2 s); we wait first, then the same.
        assert len(ticks.slept) == 4 and all(0 < s <= 0.5 for s in ticks.slept)  # less the HTTP time
        assert fake.count("GET", RESULTS) == 4


def test_several_connections_are_started_first_then_polled_together() -> None:
    ticks = SteppingClock()
    lines: list[str] = []
    with FakeHeroku(API_KEY, clock=ticks.clock) as fake, HerokuSession(API_KEY, "Connect") as session:
        for index, pending in enumerate((1, 3, 2)):
            fake.add_connection(
                seed_connection(name=f"c{index}", resource_name=f"r{index}", pending_polls=pending)
            )
        deadline = Deadline.after(5, "timeout", ticks.clock)
        chosen = connect.connections(session, fake.url, "protected-ridge-4963", "all", deadline)
        started = [start_validations(session, c, deadline) for c in chosen]
        payloads = collect_results(session, started, Progress(write=lines.append))
        assert payloads == [c.results for c in fake.connections]
        calls = [(r.method, r.path.split("/")[3]) for r in fake.requests if "valid" in r.path]
        assert calls[:3] == [("POST", "connections")] * 3 and ("POST", "connections") not in calls[3:]
        assert fake.count("GET", RESULTS) == 2 + 4 + 3
    # four rounds of 0.5 s (less the HTTP time): the slowest one's, not one per check (nine)
    assert len(ticks.slept) == 4 and all(0 < s <= 0.5 for s in ticks.slept)
    assert lines[0] == "::group::Heroku Connect diagnostics of c0, c1, c2"
    assert any(re.fullmatch(r"  c1: results ready after 2\.\d s \(4 checks\)", line) for line in lines)


def test_three_202_then_200_gives_the_results_after_four_polls() -> None:
    ticks = SteppingClock()
    with FakeHeroku(API_KEY, clock=ticks.clock) as fake:
        connection = fake.add_connection(seed_connection(pending_polls=3))
        assert diagnose(fake) == connection.results
        assert fake.count("POST", "/api/v3/connections/") == 1
        assert fake.count("GET", RESULTS) == 4
    # FAST: 0.05 before the first look, then x1.5 each time; each wait is the plan's, less the
    # time the request itself took (the clock's only real part), so compare the waits, not the gaps.
    waits = (0.05, 0.075, 0.1125, 0.16875)
    assert len(ticks.slept) == 4
    assert [0 < s <= w for s, w in zip(ticks.slept, waits, strict=True)] == [True] * 4
    assert sum(ticks.slept) > sum(waits[:3])  # the plan's own waits were kept, not skipped


def test_retry_after_on_a_202_sets_the_next_wait() -> None:
    ticks = SteppingClock()
    with FakeHeroku(API_KEY, clock=ticks.clock) as fake:
        fake.add_connection(seed_connection(pending_polls=1))
        fake.script("GET", RESULTS, Fault.http(202, headers={"Retry-After": "1"}))
        diagnose(fake)
        assert fake.count("GET", RESULTS) == 3  # the scripted 202, the fake's own 202, the 200
    # the wait after the scripted 202 is Heroku's 1 s, far above FAST's cap of 0.2 s
    assert FAST.cap < ticks.slept[1] <= 1.0


def test_a_503_burst_while_polling_is_ridden_out(fake: FakeHeroku) -> None:
    connection = fake.add_connection(seed_connection(pending_polls=1))
    fake.script("GET", RESULTS, Fault.http(503), times=2)
    assert diagnose(fake) == connection.results


def test_results_not_ready_by_the_deadline_fail_at_the_deadline(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(ready_after=30))
    began = fake.clock.monotonic()
    with pytest.raises(ServiceError) as caught:
        diagnose(fake, seconds=1.0)
    took = fake.clock.monotonic() - began
    assert re.fullmatch(
        r"the diagnostics of connection `protected-ridge-4963` were not ready after \d\.\d s \(\d+ checks\); "
        r"gave up at the deadline \(input `timeout`: 1 s\)",
        str(caught.value),
    )
    assert 1.0 <= took < 3.0  # at the deadline, not before (the clock's waits are virtual)


def test_progress_is_logged_in_a_foldable_group(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(pending_polls=2))
    lines: list[str] = []
    diagnose(fake, lines=lines)
    shown = [re.sub(r"\d+\.\d+", "N", line) for line in lines]
    assert shown == [
        "::group::Heroku Connect diagnostics of protected-ridge-4963",
        "  started; waiting for the results (at most 5 s)",
        "  still running after N s (1 check); next check in N s",
        "  still running after N s (2 checks); next check in N s",
        "  results ready after N s (3 checks)",
        "::endgroup::",
    ]
