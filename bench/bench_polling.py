"""How long after Heroku has the diagnostics ready does the gate have them, and at what cost?

For results ready 0.2 s, 2 s and 10 s after `POST .../validations`, runs against the fake server
over real HTTP: the client alone (`run_validations`) with our polling plan and with the official
plugin's fixed 500 ms polling (done = results returned), and the whole gate as the Action runs it
(`python entrypoint.py --app ...`, done = verdict line printed). Prints per case the median and
worst overhead (done − results ready on the server), the median number of result requests, and
how many runs met the target (overhead ≤ the polling interval in effect + 0.3 s).

The runs of one case go concurrently (one thread, or one process, each), so the 10 s case takes
ten seconds instead of two hundred; 20 clients on one machine do not load it measurably.

    python bench/bench_polling.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fake_heroku import API_KEY, FakeHeroku, seed_connection  # noqa: E402
from results import recorded  # noqa: E402  (bench/results.py: writes bench/RESULTS.md)

from connect_gate.heroku import connect  # noqa: E402
from connect_gate.heroku.deadline import Deadline  # noqa: E402
from connect_gate.heroku.session import HerokuSession  # noqa: E402
from connect_gate.heroku.validations import DIAGNOSTICS_POLLING, PollPlan, run_validations  # noqa: E402
from connect_gate.workflow import SILENT  # noqa: E402

FIXED_500_MS = PollPlan(first=0.5, factor=1.0, cap=0.5)
PLANS = {"ours: 0.5 s x1.5 to 4 s": DIAGNOSTICS_POLLING, "plugin: fixed 500 ms": FIXED_500_MS}
READY_AFTER = (0.2, 2.0, 10.0)
SLACK = 0.3  # the target: overhead ≤ one polling interval + 0.3 s


@dataclass(frozen=True)
class Sample:
    overhead: float  # seconds from "ready on the server" to "returned to the gate"
    requests: int  # GETs of result_url
    interval: float  # the polling interval that spanned the moment the results became ready


Run = Callable[[FakeHeroku, str], float]  # one run for one app: when it was done (monotonic)


def returned(plan: PollPlan) -> Run:
    """The client alone: done when `run_validations` returns the results."""

    def run(fake: FakeHeroku, app: str) -> float:
        with HerokuSession(API_KEY, "the Heroku Connect API") as session:
            deadline = Deadline.after(60, "timeout")
            (found,) = connect.connections(session, fake.url, app, "", deadline)
            run_validations(session, found, deadline, SILENT, plan)
            return time.monotonic()

    return run


def verdict_printed(fake: FakeHeroku, app: str) -> float:
    """The whole gate (`python entrypoint.py --app ...`): done when it prints its verdict line."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HEROKU_API_KEY": API_KEY,
        "CONNECT_DISCOVERY_SERVER": fake.url,
    }
    with tempfile.TemporaryDirectory() as reports:
        command = [sys.executable, str(ROOT / "entrypoint.py"), "--app", app, "--report-dir", reports]
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as gate:
            assert gate.stdout is not None
            for line in gate.stdout:
                if line.startswith(("connect-gate: BLOCKED", "connect-gate: PASSED")):
                    done = time.monotonic()
            gate.wait()
    return done


def measure(run: Run, first: float, ready_after: float, runs: int) -> list[Sample]:
    with FakeHeroku(API_KEY) as fake:
        for index in range(runs):
            fake.add_connection(seed_connection(app_name=f"app-{index}", ready_after=ready_after))
        with ThreadPoolExecutor(max_workers=runs) as pool:
            finished = list(pool.map(lambda i: run(fake, f"app-{i}"), range(runs)))
        samples = []
        for index, returned_at in enumerate(finished):
            connection_id = fake.connections[index].id
            token = next(t for t in fake.ready_at if t.endswith(connection_id[:8]))
            polls = sorted(r.at for r in fake.requests if r.path.endswith(f"/validations/{token}"))
            ready_at = fake.ready_at[token]
            before = max((at for at in polls if at < ready_at), default=ready_at - first)
            after = min(at for at in polls if at >= ready_at)
            samples.append(Sample(returned_at - ready_at, len(polls), after - before))
        return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    print(f"{runs} runs per case; overhead = done - results ready on the server")
    header = f"{'ready after':>11}  {'plan (done when)':<40} {'median':>8} {'worst':>8} {'requests':>9}"
    print(f"{header}  target met")
    cases: list[tuple[str, Run, float]] = [
        (f"{name}, returned", returned(plan), plan.first) for name, plan in PLANS.items()
    ]
    cases.append(("ours via entrypoint.py, verdict printed", verdict_printed, DIAGNOSTICS_POLLING.first))
    for ready_after in READY_AFTER:
        for name, run, first in cases:
            samples = measure(run, first, ready_after, runs)
            overheads = [s.overhead for s in samples]
            met = sum(s.overhead <= s.interval + SLACK for s in samples)
            print(
                f"{ready_after:>10.1f}s  {name:<40} {statistics.median(overheads):>7.3f}s "
                f"{max(overheads):>7.3f}s {statistics.median(s.requests for s in samples):>9g}  {met}/{runs}"
            )


if __name__ == "__main__":
    with recorded(__file__):
        main()
