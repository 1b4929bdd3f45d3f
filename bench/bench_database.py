"""Benchmark the database checks: wall time and SQL statements for 50 and 500 mapped tables.

Seeds N mapped tables of 60 columns each (Connect's system columns included) into a fresh
database, runs every database check once on one read-only session, and prints the wall time and
the number of statements sent. The statement count must not grow with N; the target for 500
tables is under 2 s.

    python bench/bench_database.py                    # a throwaway PostgreSQL 15, as the tests use
    TEST_DATABASE_URL=postgres://... python bench/bench_database.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pg import Server, test_server  # noqa: E402
from results import recorded  # noqa: E402  (bench/results.py: writes bench/RESULTS.md)

from connect_gate.database.connection import open_session  # noqa: E402
from connect_gate.database.run import check_database  # noqa: E402
from connect_gate.database.seed import seed  # noqa: E402
from connect_gate.database.url import parse_url  # noqa: E402
from connect_gate.mapping_config import Access, Mapping, MappingConfig  # noqa: E402

COLUMNS = 60
SIZES = (50, 500)
SYSTEM_FIELDS = ("Id", "IsDeleted", "SystemModstamp")  # with id, _hc_lastop, _hc_err: 6 system columns


def synthetic_config(tables: int) -> MappingConfig:
    own_fields = tuple(f"Field{number:02d}__c" for number in range(COLUMNS - 6))
    mappings = tuple(
        Mapping(
            object_name=f"Object{number:03d}__c",
            access=Access.READ_WRITE if number % 2 == 0 else Access.READ_ONLY,
            fields=(*SYSTEM_FIELDS, "External_ID__c", *own_fields[:-1]),
            upsert_field="External_ID__c" if number % 2 == 0 else None,
        )
        for number in range(tables)
    )
    return MappingConfig("salesforce", "bench:DATABASE_URL:salesforce", "bench", mappings)


def measure(server: Server, tables: int) -> str:
    name = f"{server.prefix}_bench_{tables}"
    server.create_database(name)
    try:
        config = synthetic_config(tables)
        started = time.perf_counter()
        seed(server.url(name), config)
        seeded = time.perf_counter() - started
        session = open_session(parse_url(server.url(name)))
        started = time.perf_counter()
        findings = check_database(session, config)
        checked = time.perf_counter() - started
        session.close()
        statuses = sorted({finding.status.value for finding in findings})
        return (
            f"{tables:>6} {COLUMNS:>7} {seeded:>9.2f} {checked:>9.3f} {session.statements:>10} "
            f"{len(findings):>8}  {','.join(statuses)}"
        )
    finally:
        server.drop_database(name)


def main(sizes: Sequence[int] = SIZES) -> None:
    with test_server() as server:
        print(
            f"{'tables':>6} {'columns':>7} {'seed (s)':>9} {'checks (s)':>9} "
            f"{'statements':>10} {'findings':>8}  statuses"
        )
        for tables in sizes:
            print(measure(server, tables), flush=True)


if __name__ == "__main__":
    with recorded(__file__):
        main()
