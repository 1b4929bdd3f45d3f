"""Benchmark the sandbox: what the recorder costs the migrations, and how long judging takes.

1. A data migration of 2,000 single-row INSERTs and one 2,000-row UPDATE on a read-write mapped
   table, with and without the recorder (Connect's row triggers fire in both).
   The recorder's own cost per statement is measured apart, on a table without Connect's triggers,
   and so is its cost on each change Connect's logger queues in `_trigger_log` (the recorder's
   trigger there fires for each, reads the call stack and leaves it out).
2. Judging a recording of N distinct DDL statements (half of them adding a foreign key into
   `salesforce.account`), traced to N/10 migration files holding their text.

    python bench/bench_sandbox.py                    # a throwaway PostgreSQL 15, as the tests use
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import psycopg2  # noqa: E402
from pg import Server, test_server  # noqa: E402
from results import recorded  # noqa: E402  (bench/results.py: writes bench/RESULTS.md)

from connect_gate.database.seed import seed  # noqa: E402
from connect_gate.database.url import parse_url  # noqa: E402
from connect_gate.mapping_config import load_export  # noqa: E402
from connect_gate.sandbox.judge import check_sandbox  # noqa: E402
from connect_gate.sandbox.recorder_sql import WRITE_TRIGGER  # noqa: E402
from connect_gate.sandbox.setup import seed_with_recorder  # noqa: E402

CONFIG = load_export(ROOT / "examples" / "connect-export.json")
ROWS = 2_000
STATEMENTS = (500, 2000)


def run_sql(url: str, statements: list[str]) -> float:
    keywords: dict[str, Any] = dict(parse_url(url).keywords())
    connection = psycopg2.connect(**keywords)
    started = time.perf_counter()
    with connection, connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    connection.close()
    return time.perf_counter() - started


def data_migration(url: str) -> float:
    inserts = [f"INSERT INTO salesforce.account (name) VALUES ('Account {n}')" for n in range(ROWS)]
    return run_sql(url, [*inserts, "UPDATE salesforce.account SET industry = 'Retail'"])


def overhead(server: Server, url: Any) -> str:
    times = []
    for record in (False, True):
        name = f"{server.prefix}_bench_{'rec' if record else 'plain'}"
        server.create_database(name)
        try:
            (seed_with_recorder if record else seed)(url(name), CONFIG)
            times.append(data_migration(url(name)))
        finally:
            server.drop_database(name)
    plain, recorded = times
    return (
        f"data migration ({ROWS} INSERTs + 1 UPDATE of {ROWS} rows): {plain:.2f} s without the recorder, "
        f"{recorded:.2f} s with it ({(recorded / plain - 1) * 100:+.0f}%; Connect's own triggers dominate)"
    )


def per_statement(server: Server, url: Any) -> str:
    """The recorder's own cost: its statement trigger on a table without Connect's triggers."""
    name = f"{server.prefix}_bench_trigger"
    server.create_database(name)
    try:
        seed_with_recorder(url(name), CONFIG)
        run_sql(
            url(name), ["CREATE TABLE public.bare (name text)", "CREATE TABLE public.watched (name text)"]
        )
        run_sql(
            url(name),
            [
                "CREATE TRIGGER r AFTER INSERT ON public.watched "
                "FOR EACH STATEMENT EXECUTE FUNCTION connect_gate_recorder.record_write()"
            ],
        )
        bare = run_sql(url(name), [f"INSERT INTO public.bare VALUES ('{n}')" for n in range(ROWS)])
        watched = run_sql(url(name), [f"INSERT INTO public.watched VALUES ('{n}')" for n in range(ROWS)])
        cost = (watched - bare) / ROWS * 1000
        return f"recorder per recorded statement: {cost:.3f} ms ({ROWS} distinct INSERTs)"
    finally:
        server.drop_database(name)


def per_logged_change(server: Server, url: Any) -> str:
    """The recorder's cost on each change Connect's logger queues in `_trigger_log` (which it leaves out).

    The same UPDATE of every row, rolled back, with the recorder's trigger on `_trigger_log` enabled
    and disabled, alternately; the fastest of each. Before that trigger existed, the recorder cost
    these changes nothing.
    """
    name = f"{server.prefix}_bench_logged"
    server.create_database(name)
    try:
        seed_with_recorder(url(name), CONFIG)
        fill = (
            f"INSERT INTO salesforce.account (name) SELECT 'Account ' || n FROM generate_series(1, {ROWS}) n"
        )
        run_sql(url(name), [fill])
        keywords: dict[str, Any] = dict(parse_url(url(name)).keywords())
        connection = psycopg2.connect(**keywords)
        connection.autocommit = True
        times: dict[str, list[float]] = {"ENABLE": [], "DISABLE": []}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM salesforce.account")
                [(rows,)] = cursor.fetchall()
                for round_ in range(5):
                    for switch, taken in times.items():
                        cursor.execute(
                            f"ALTER TABLE salesforce._trigger_log {switch} TRIGGER {WRITE_TRIGGER}"
                        )
                        cursor.execute("BEGIN")
                        started = time.perf_counter()
                        cursor.execute("UPDATE salesforce.account SET industry = %s", (f"Round {round_}",))
                        taken.append(time.perf_counter() - started)
                        cursor.execute("ROLLBACK")
        finally:
            connection.close()
        with_it, without = min(times["ENABLE"]), min(times["DISABLE"])
        cost = (with_it - without) / rows * 1000
        return (
            f"recorder per change Connect's logger queues: {cost:.3f} ms (UPDATE of {rows} rows: "
            f"{without:.2f} s, {with_it:.2f} s with the recorder's trigger on _trigger_log)"
        )
    finally:
        server.drop_database(name)


def judging(server: Server, url: Any, statements: int) -> str:
    name = f"{server.prefix}_bench_judge_{statements}"
    server.create_database(name)
    try:
        seed_with_recorder(url(name), CONFIG)
        sql = []
        for n in range(statements // 2):
            sql.append(f"CREATE TABLE public.invoice_{n} (id serial PRIMARY KEY, account_id integer)")
            sql.append(
                f"ALTER TABLE public.invoice_{n} ADD CONSTRAINT invoice_{n}_fk "
                "FOREIGN KEY (account_id) REFERENCES salesforce.account (id)"
            )
        run_sql(url(name), sql)
        with tempfile.TemporaryDirectory() as root:
            folder = Path(root) / "db" / "migrations"
            folder.mkdir(parents=True)
            per_file = 10
            for start in range(0, len(sql), per_file):
                (folder / f"V{start:05d}__step.sql").write_text(
                    ";\n".join(sql[start : start + per_file]) + ";\n"
                )
            started = time.perf_counter()
            result = check_sandbox(url(name), CONFIG, Path(root), ("**/migrations/*.sql",))
            elapsed = time.perf_counter() - started
        flagged = sum(1 for f in result.findings if f.check_id == "foreign-key-added-to-mapped-table")
        return (
            f"judging {statements} recorded statements ({flagged} foreign keys into account, "
            f"{len(sql) // per_file} files): {elapsed:.2f} s"
        )
    finally:
        server.drop_database(name)


def main() -> None:
    with test_server() as server:
        role, password = f"{server.prefix}_bench", "bench-pw"
        server.execute(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password}'")
        superuser = Server(server.host, server.port, role, password, server.admin, server.prefix)
        try:
            print(overhead(server, superuser.url))
            print(per_statement(server, superuser.url))
            print(per_logged_change(server, superuser.url))
            for statements in STATEMENTS:
                print(judging(server, superuser.url, statements))
        finally:
            server.execute(f"DROP ROLE IF EXISTS {role}")


if __name__ == "__main__":
    with recorded(__file__):
        main()
