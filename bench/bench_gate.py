"""Time the gate on big diagnostics: read → decide → every report, at two sizes.

    python bench/bench_gate.py            # 1,000 mappings x 20 checks, and 250 x 20 for linearity

Prints wall times, the time per 1,000 findings at both sizes (linear cost means equal numbers),
and `entrypoint.py --help` against a bare `python -c pass` measured in the same run.
"""

from __future__ import annotations

import datetime
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results import recorded  # noqa: E402  (bench/results.py: writes bench/RESULTS.md)

from connect_gate.decide import decide  # noqa: E402
from connect_gate.document import load_json  # noqa: E402
from connect_gate.policy.load import load_policy  # noqa: E402
from connect_gate.reporters.annotations import render_annotations  # noqa: E402
from connect_gate.reporters.console import render_console  # noqa: E402
from connect_gate.reporters.junit import render_junit  # noqa: E402
from connect_gate.reporters.results_json import render_results_json  # noqa: E402
from connect_gate.reporters.summary import render_summary  # noqa: E402
from connect_gate.sources.diagnostics import read_results  # noqa: E402

ARRAYS = ("errors", "warnings", "passes", "skips")
TODAY = datetime.date(2026, 11, 27)


def payload(mappings: int, checks: int) -> dict[str, Any]:
    def result(i: int, j: int) -> dict[str, str]:
        return {
            "display_name": f"Check {j}",
            "message": f"Result {j} of mapping {i}.",
            "doc_url": "https://x/#c",
        }

    body: dict[str, Any] = {"passes": [result(0, j) for j in range(7)]}
    body["mappings"] = {
        f"Object_{i}__c": {
            # mostly GREEN, as real diagnostics are: 1 in 10 RED, 1 in 10 YELLOW, 1 in 20 SKIPPED
            key: [result(i, j) for j in range(checks) if ARRAYS[_colour(i, j)] == key]
            for key in ARRAYS
        }
        for i in range(mappings)
    }
    return body


def _colour(i: int, j: int) -> int:
    n = (i * 31 + j * 7) % 20
    return 0 if n < 2 else 1 if n < 4 else 3 if n == 4 else 2


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def run_size(mappings: int, checks: int, workdir: Path) -> dict[str, float]:
    path = workdir / f"results-{mappings}.json"
    path.write_text(json.dumps(payload(mappings, checks)))
    policy_path = workdir / "policy.yml"
    policy_path.write_text(
        "version: 1\nchecks:\n  - {check: Check 3, unlisted: true, action: block}\n"
        "waivers:\n  - {check: Check 1, unlisted: true, mapping: Object_7__c, reason: bench}\n"
    )
    times: dict[str, float] = {}
    times["read"], findings = timed(lambda: read_results(load_json(path, "results"), "bench"))
    policy = load_policy(policy_path)
    assert isinstance(findings, list)
    times["decide"], decisions = timed(lambda: decide(findings, policy, TODAY))
    assert isinstance(decisions, list)
    times["console"], _ = timed(lambda: render_console(decisions, verbose=True))
    times["junit"], junit = timed(lambda: render_junit(decisions))
    times["annotations"], _ = timed(lambda: render_annotations(decisions, "junit.xml"))
    times["summary"], _ = timed(lambda: render_summary(decisions, policy, TODAY, "junit.xml"))
    times["json"], _ = timed(lambda: render_results_json(decisions, policy, TODAY))
    times["write"], _ = timed(lambda: (workdir / "junit.xml").write_text(str(junit)))
    times["findings"] = len(findings)
    return times


def help_time(args: list[str], runs: int = 15) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        run_size(50, 20, workdir)  # warm-up: imports, caches
        results = {size: run_size(size, 20, workdir) for size in (250, 1000)}
    print(
        f"{'mappings x checks':>18} {'findings':>9} "
        + " ".join(f"{k:>11}" for k in STAGES)
        + "      total  per 1,000"
    )
    for size, times in results.items():
        total = sum(times[k] for k in STAGES)
        per_thousand = total / times["findings"] * 1000
        cells = " ".join(f"{times[k] * 1000:9.1f}ms" for k in STAGES)
        head = f"{size:>10} x 20     {int(times['findings']):>9}"
        print(f"{head} {cells} {total * 1000:8.1f}ms {per_thousand * 1000:7.1f}ms")
    small, big = results[250], results[1000]
    ratio = (sum(big[k] for k in STAGES) / big["findings"]) / (
        sum(small[k] for k in STAGES) / small["findings"]
    )
    print(f"cost per finding, 20,000 vs 5,000 findings: {ratio:.2f}x (1.00 = linear)")
    bare = help_time(["-c", "pass"])
    helped = help_time([str(ROOT / "entrypoint.py"), "--help"])
    print(
        f"entrypoint.py --help: {helped * 1000:.0f} ms median; bare `python -c pass`: {bare * 1000:.0f} ms "
        f"({helped / bare:.1f}x the interpreter's own start-up)"
    )


STAGES = ("read", "decide", "console", "junit", "annotations", "summary", "json", "write")

if __name__ == "__main__":
    with recorded(__file__):
        main()
