"""Time the whole gate on SQL migrations, as users run it, against squawk on the same files.

    python bench/bench_migrations.py           # everything (squawk on 20,000 statements takes ~40 s)
    python bench/bench_migrations.py --quick   # skip squawk on the 20,000-statement file

Generates, in a temporary folder: 200 files x 100 statements (every second statement a risk to a
table Heroku Connect syncs, so that more than 10,000 findings are reported), one file of 20,000
statements, and a pull request of 2 files. Then runs, each as a fresh process, `entrypoint.py`
(discovery, analysis, policy, and every report written: console, JUnit, results.json, SARIF,
summary) and squawk (PyPI `squawk-cli`, installed only for this benchmark) on the same files, in
turn (gate, squawk, gate, squawk...), and prints the median wall and CPU times of each and the
median of the ratios of the pairs, which holds when the machine's speed drifts between runs.
Targets: on the 200 files, at least 2x faster than squawk; the 20,000-statement file under 1.5 s;
the 2-file pull request under 0.2 s.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from results import recorded  # bench/results.py: writes bench/RESULTS.md

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "examples" / "connect-export.json"
TARGET_RATIO = 2.0
TARGET_BIG_SECONDS = 1.5
TARGET_PR_SECONDS = 0.2


def statement(number: int) -> str:
    """One statement of a mix in which every second one is a risk to a table Connect syncs."""
    shapes = (
        f"CREATE TABLE app.t{number} (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz);",
        f"UPDATE salesforce.account SET industry = 'Retail' WHERE sfid = '{number:018d}';",
        f"ALTER TABLE app.orders ADD COLUMN c{number} integer;",
        f"DELETE FROM salesforce.contact WHERE email = 'x{number}@example.com';",
        f"CREATE INDEX CONCURRENTLY idx_{number} ON app.orders (customer_id, created_at);",
        f"ALTER TABLE salesforce.account ADD COLUMN note_{number} text NOT NULL;",
        f"INSERT INTO app.audit (event, payload) VALUES ('e{number}', 'Zoë ñandú');",
        "TRUNCATE salesforce.contact;",
        f"COMMENT ON TABLE app.orders IS 'orders {number}';",
        "ALTER TABLE salesforce.account ALTER COLUMN name SET NOT NULL;",
    )
    return shapes[number % len(shapes)]


def write_corpus(folder: Path) -> dict[str, Path]:
    """name → a repository folder with its migrations under db/migrations."""
    shapes = {"200 files": (200, 100), "20,000 in 1 file": (1, 20_000), "2-file PR": (2, 20)}
    found: dict[str, Path] = {}
    for name, (files, statements) in shapes.items():
        repository = folder / name.replace(" ", "_").replace(",", "")
        migrations = repository / "db" / "migrations"
        migrations.mkdir(parents=True)
        for number in range(files):
            text = "\n".join(statement(number * statements + i) for i in range(statements))
            (migrations / f"V{number + 1}__step.sql").write_text(text + "\n", encoding="utf-8")
        found[name] = repository
    return found


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system of the child process


def run_once(command: list[str], cwd: Path) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Run(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def gate_command(repository: Path, report: Path) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "entrypoint.py"),
        "--mapping-config",
        str(EXPORT),
        "--migrations",
        "db/migrations/*.sql",
        "--report-dir",
        str(report),
        "--no-verbose",
    ]


def findings_of(repository: Path, report: Path) -> str:
    env = {**os.environ, "GITHUB_WORKSPACE": str(repository)}
    done = subprocess.run(
        gate_command(repository, report), cwd=repository, capture_output=True, text=True, env=env, check=False
    )
    last = [line for line in done.stdout.splitlines() if "findings block" in line or "PASS" in line]
    return last[-1].removeprefix("connect-gate: ") if last else done.stdout.strip().splitlines()[-1]


def compare(repository: Path, report: Path, squawk: str | None, runs: int) -> tuple[list[Run], list[Run]]:
    """Runs of the gate and of squawk, in turn, after one warm-up of each."""
    os.environ["GITHUB_WORKSPACE"] = str(repository)
    ours_command = gate_command(repository, report)
    files = sorted(str(path) for path in (repository / "db" / "migrations").glob("*.sql"))
    theirs_command = [squawk, *files] if squawk else []
    run_once(ours_command, repository)
    if squawk:
        run_once(theirs_command, repository)
    ours: list[Run] = []
    theirs: list[Run] = []
    for _ in range(runs):
        ours.append(run_once(ours_command, repository))
        if squawk:
            theirs.append(run_once(theirs_command, repository))
    return ours, theirs


def median(values: list[float]) -> float:
    return statistics.median(values)


def find_squawk() -> str | None:
    beside_python = Path(sys.executable).parent / "squawk"
    return str(beside_python) if beside_python.exists() else shutil.which("squawk")


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    squawk = find_squawk()
    if squawk is None:
        print("squawk: NOT INSTALLED, no comparison. Install it for the benchmark only:")
        print(f"  {sys.executable} -m pip install squawk-cli")
    print("Whole process (entrypoint.py writing every report) vs squawk, medians; ratio = squawk / gate:")
    with tempfile.TemporaryDirectory(prefix="bench-migrations-") as temp:
        corpus = write_corpus(Path(temp))
        for name, repository in corpus.items():
            report = Path(temp) / f"report-{repository.name}"
            with_squawk = squawk if not (quick and name.startswith("20,000")) else None
            runs = 3 if name.startswith("20,000") else 7
            ours, theirs = compare(repository, report, with_squawk, runs)
            wall, cpu = median([r.wall for r in ours]), median([r.cpu for r in ours])
            line = (
                f"  {name:>17}: gate {wall:6.3f} s wall, {cpu:6.3f} s CPU ({findings_of(repository, report)})"
            )
            if theirs:
                wall_ratio = median([t.wall / o.wall for o, t in zip(ours, theirs, strict=True)])
                cpu_ratio = median([t.cpu / o.cpu for o, t in zip(ours, theirs, strict=True)])
                squawk_wall = median([r.wall for r in theirs])
                squawk_cpu = median([r.cpu for r in theirs])
                line += (
                    f"\n  {'':>17}  squawk {squawk_wall:6.3f} s wall, {squawk_cpu:6.3f} s CPU; "
                    f"gate {wall_ratio:.2f}x as fast (wall), {cpu_ratio:.2f}x (CPU)"
                )
                if name == "200 files":
                    line += (
                        f"; target {TARGET_RATIO:.0f}x: {'met' if wall_ratio >= TARGET_RATIO else 'NOT met'}"
                    )
            limit = {"20,000 in 1 file": TARGET_BIG_SECONDS, "2-file PR": TARGET_PR_SECONDS}.get(name)
            if limit is not None:
                line += f"\n  {'':>17}  target under {limit} s wall: {'met' if wall < limit else 'NOT met'}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    with recorded(__file__):
        status = main()
    sys.exit(status)
