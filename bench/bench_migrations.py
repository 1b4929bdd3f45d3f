"""Time the migration analysis against squawk, and show that its cost is linear in statements.

    python bench/bench_migrations.py           # everything (squawk on 20,000 statements takes ~40 s)
    python bench/bench_migrations.py --quick   # skip squawk on the 20,000-statement files

Generates, in a temporary folder, 200 files x 100 statements, one file of 2,000 and one of 20,000
statements (a mix of DDL and DML, one statement in ten on a Heroku Connect table of
examples/connect-export.json), and the 20,000 again with one statement PostgreSQL rejects (the
parse-error recovery path). Then runs, each as a fresh process as CI would:
- connect-gate: `discover` + `analyse_files` (what the CLI calls), best of 3;
- squawk (PyPI `squawk-cli`, installed only for this benchmark), best of 3 (1 on the big file).
Prints wall and CPU times and the ratios, the analysis time per statement at 2,000 and 20,000
statements (equal numbers mean linear cost), and pglast's `parse_sql_json` against `parse_sql`.
"""

from __future__ import annotations

import json
import resource
import shutil
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
TARGET_BIG_SECONDS = 2.0

ANALYSE = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from connect_gate.mapping_config import load_export
from connect_gate.migrations.analyse import analyse_files
from connect_gate.migrations.discover import discover
start = time.perf_counter()
root = Path({folder!r})
files = discover(("**/*.sql",), root).files
analysis = analyse_files(files, load_export({export!r}), root)
print(analysis.files, analysis.statements, len(analysis.findings), time.perf_counter() - start)
"""


def statement(number: int) -> str:
    """One statement of a realistic mix; every tenth touches a table Heroku Connect syncs."""
    shapes = (
        f"CREATE TABLE app.t{number} (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz);",
        f"ALTER TABLE app.orders ADD COLUMN c{number} integer;",
        f"CREATE INDEX CONCURRENTLY idx_{number} ON app.orders (customer_id, created_at);",
        f"INSERT INTO app.audit (event, payload) VALUES ('e{number}', 'Zoë ñandú');",
        f"UPDATE app.orders SET status = 'done' WHERE id = {number};",
        f"ALTER TABLE app.t{number} ADD CONSTRAINT c{number} CHECK (length(name) > 0);",
        f"CREATE VIEW app.v{number} AS SELECT sfid, name FROM salesforce.account WHERE industry = 'x';",
        f"DELETE FROM app.sessions WHERE expires_at < now() - interval '{number} days';",
        f"COMMENT ON TABLE app.orders IS 'orders {number}';",
        f"UPDATE salesforce.account SET industry = 'Retail' WHERE sfid = '{number:018d}';",
    )
    return shapes[number % len(shapes)]


def write_corpus(folder: Path) -> dict[str, Path]:
    many = folder / "many"
    for file_number in range(200):
        path = many / f"V{file_number + 1}__step.sql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "\n".join(statement(file_number * 100 + i) for i in range(100)) + "\n", encoding="utf-8"
        )
    sizes = {"many": many}
    for count in (2_000, 20_000):
        path = folder / f"one_{count}" / "V1__big.sql"
        path.parent.mkdir(parents=True)
        path.write_text("\n".join(statement(i) for i in range(count)) + "\n", encoding="utf-8")
        sizes[f"one_{count}"] = path.parent
    # the same 20,000 statements with one the parser rejects, in the middle: the recovery path
    broken = folder / "one_20000_bad" / "V1__big.sql"
    broken.parent.mkdir(parents=True)
    lines = [statement(i) for i in range(20_000)]
    lines[10_000] = "ALTER TABLE app.orders ADD COLUMN broken tex t;"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sizes["one_20000_bad"] = broken.parent
    return sizes


@dataclass(frozen=True)
class Timing:
    """Best of several runs: wall time, and CPU time (user + system) of the child process, which
    other load on the machine disturbs far less than the wall clock."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:6.3f} s wall, {self.cpu:6.3f} s CPU"


def timed(command: list[str], runs: int, check: bool) -> tuple[Timing, list[str]]:
    """The best wall and CPU times of `runs` runs, and what each run printed."""
    best_wall = best_cpu = float("inf")
    outputs = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=check)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        outputs.append(done.stdout)
    return Timing(best_wall, best_cpu), outputs


def time_connect_gate(folder: Path, runs: int = 3) -> tuple[Timing, str, float]:
    """(timing of the whole process, what it found, seconds of analysis alone, after the imports)."""
    code = ANALYSE.format(root=str(ROOT), folder=str(folder), export=str(EXPORT))
    timing, outputs = timed([sys.executable, "-c", code], runs, check=True)
    files, statements, findings, _ = outputs[0].split()
    analysis = min(float(output.split()[3]) for output in outputs)
    return timing, f"{files} files, {statements} statements, {findings} findings", analysis


def time_squawk(squawk: str, folder: Path, runs: int) -> Timing:
    files = sorted(str(path) for path in folder.rglob("*.sql"))
    return timed([squawk, *files], runs, check=False)[0]  # squawk exits 1 when it finds issues


def find_squawk() -> str | None:
    beside_python = Path(sys.executable).parent / "squawk"
    return str(beside_python) if beside_python.exists() else shutil.which("squawk")


def parse_comparison(path: Path) -> tuple[float, float, float]:
    """Seconds for parse_sql_json alone, parse_sql_json + json.loads of everything, parse_sql."""
    from pglast import parser

    sys.path.insert(0, str(ROOT))
    from connect_gate.migrations.parse import collector_paused

    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    parsed = parser.parse_sql_json(text)
    alone = time.perf_counter() - start
    with collector_paused():
        json.loads(parsed)
    decoded = time.perf_counter() - start
    start = time.perf_counter()
    parser.parse_sql(text)
    return alone, decoded, time.perf_counter() - start


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    squawk = find_squawk()
    with tempfile.TemporaryDirectory(prefix="bench-migrations-") as temp:
        corpus = write_corpus(Path(temp))
        print("connect-gate, each run a fresh Python process (imports included), best of 3:")
        gate: dict[str, Timing] = {}
        analysis: dict[str, float] = {}
        for name, folder in corpus.items():
            gate[name], summary, analysis[name] = time_connect_gate(folder)
            print(f"  {name:>13}: {gate[name]}  ({summary}; analysis alone {analysis[name]:.3f} s)")
        for count in (2_000, 20_000):
            seconds = analysis[f"one_{count}"]
            print(
                f"  analysis per statement, {count:>6,} statements in one file: "
                f"{seconds / count * 1e6:5.1f} µs"
            )
        big_ok = gate["one_20000"].wall < TARGET_BIG_SECONDS
        print(f"  20,000-statement file under {TARGET_BIG_SECONDS:.0f} s: {'yes' if big_ok else 'NO'}")

        alone, decoded, as_ast = parse_comparison(corpus["one_20000"] / "V1__big.sql")
        print(
            f"pglast on 20,000 statements: parse_sql_json {alone:.3f} s, with json.loads of every tree "
            f"{decoded:.3f} s; parse_sql (Python AST) {as_ast:.3f} s: {as_ast / decoded:.1f}x slower"
        )

        if squawk is None:
            print("squawk: NOT INSTALLED, no comparison. Install it for the benchmark only:")
            print(f"  {sys.executable} -m pip install squawk-cli")
            return 0
        version = subprocess.run([squawk, "--version"], capture_output=True, text=True, check=False)
        print(f"{version.stdout.strip()} ({squawk}), best of 3 on the 200 files, 1 run on the big files:")
        sizes = ["many", "one_2000"] + ([] if quick else ["one_20000", "one_20000_bad"])
        ratios = {}
        for name in sizes:
            theirs = time_squawk(squawk, corpus[name], 3 if name == "many" else 1)
            ours = gate[name]
            ratios[name] = (theirs.wall / ours.wall, theirs.cpu / ours.cpu)
            print(
                f"  {name:>13}: squawk {theirs}; connect-gate is {ratios[name][0]:.1f}x faster "
                f"(wall), {ratios[name][1]:.1f}x (CPU)"
            )
        wall, cpu = ratios["many"]
        print(
            f"  target on the 200 files, {TARGET_RATIO:.0f}x faster than squawk: "
            f"wall {_met(wall)}, CPU {_met(cpu)}"
        )
        if quick:
            print("  (--quick: squawk not run on the 20,000-statement file)")
    return 0


def _met(ratio: float) -> str:
    return "met" if ratio >= TARGET_RATIO else "NOT met"


if __name__ == "__main__":
    with recorded(__file__):
        status = main()
    sys.exit(status)
