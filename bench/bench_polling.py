"""How long after Heroku has the diagnostics ready does the gate have them, and at what cost?

For results ready 0.2 s, 2 s and 10 s after `POST .../validations`, runs the real client
(`run_validations`) against the fake server over real HTTP, with our polling plan and with the
official plugin's fixed 500 ms polling, and prints, per plan: the median and worst overhead
(results returned − results ready on the server), the median number of result requests, and
whether every run met the target (overhead ≤ the polling interval in effect + 0.3 s).

The runs of one case go concurrently (one thread and one HTTP session each), so the 10 s case
takes ten seconds instead of two hundred; 20 clients on one machine do not load it measurably.

    python bench/bench_polling.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fake_heroku import API_KEY, FakeHeroku, seed_connection

from connect_gate.heroku import connect
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.progress import SILENT
from connect_gate.heroku.session import HerokuSession
from connect_gate.heroku.validations import DIAGNOSTICS_POLLING, PollPlan, run_validations

FIXED_500_MS = PollPlan(first=0.5, factor=1.0, cap=0.5)
PLANS = {"ours (0.5 s x1.5 up to 4 s)": DIAGNOSTICS_POLLING, "fixed 500 ms (the plugin)": FIXED_500_MS}
READY_AFTER = (0.2, 2.0, 10.0)
SLACK = 0.3  # the target: overhead ≤ one polling interval + 0.3 s


@dataclass(frozen=True)
class Sample:
    overhead: float  # seconds from "ready on the server" to "returned to the gate"
    requests: int  # GETs of result_url
    interval: float  # the polling interval that spanned the moment the results became ready


def one_run(fake: FakeHeroku, app: str, plan: PollPlan) -> tuple[str, float]:
    with HerokuSession(API_KEY, "the Heroku Connect API") as session:
        deadline = Deadline.after(60, "timeout")
        (found,) = connect.connections(session, fake.url, app, "", deadline)
        run_validations(session, found, deadline, SILENT, plan)
        return found.id, time.monotonic()


def measure(plan: PollPlan, ready_after: float, runs: int) -> list[Sample]:
    with FakeHeroku(API_KEY) as fake:
        for index in range(runs):
            fake.add_connection(seed_connection(app_name=f"app-{index}", ready_after=ready_after))
        with ThreadPoolExecutor(max_workers=runs) as pool:
            finished = list(pool.map(lambda i: one_run(fake, f"app-{i}", plan), range(runs)))
        samples = []
        for connection_id, returned_at in finished:
            token = next(t for t in fake.ready_at if t.endswith(connection_id[:8]))
            polls = sorted(r.at for r in fake.requests if r.path.endswith(f"/validations/{token}"))
            ready_at = fake.ready_at[token]
            before = max((at for at in polls if at < ready_at), default=ready_at - plan.first)
            after = min(at for at in polls if at >= ready_at)
            samples.append(Sample(returned_at - ready_at, len(polls), after - before))
        return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    print(f"{runs} runs per case; overhead = results returned - results ready on the server")
    print(f"{'ready after':>11}  {'plan':<28} {'median':>8} {'worst':>8} {'requests':>9}  target met")
    for ready_after in READY_AFTER:
        for name, plan in PLANS.items():
            samples = measure(plan, ready_after, runs)
            overheads = [s.overhead for s in samples]
            met = sum(s.overhead <= s.interval + SLACK for s in samples)
            print(
                f"{ready_after:>10.1f}s  {name:<28} {statistics.median(overheads):>7.3f}s "
                f"{max(overheads):>7.3f}s {statistics.median(s.requests for s in samples):>9g}  {met}/{runs}"
            )


if __name__ == "__main__":
    main()
