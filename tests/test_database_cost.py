"""The database checks cost a fixed number of statements, and read `_trigger_log` through Connect's indexes."""

from __future__ import annotations

from typing import Any

from conftest_pg import Database
from psycopg2 import sql

from connect_gate.database.connection import open_session
from connect_gate.database.run import check_database
from connect_gate.database.seed import seed
from connect_gate.database.url import parse_url
from connect_gate.database.writes import backlog_query, failed_writes_query
from connect_gate.mapping_config import Access, Mapping, MappingConfig

STATEMENTS = 9  # 6 catalog queries, failed writes, backlog, rows that failed


def config_of(tables: int) -> MappingConfig:
    mappings = tuple(
        Mapping(f"Object{number}__c", Access.READ_WRITE, ("Id", "SystemModstamp", "Name"), "Name")
        for number in range(tables)
    )
    return MappingConfig("salesforce", "", "", mappings)


def test_the_statement_count_does_not_grow_with_the_tables(empty_db: Database) -> None:
    seed(empty_db.url, config_of(40))
    counts = []
    for tables in (1, 40):
        session = open_session(parse_url(empty_db.url))
        check_database(session, config_of(tables))
        counts.append(session.statements)

    assert counts == [STATEMENTS, STATEMENTS]


def plan(db: Database, query: sql.Composable, params: dict[str, Any]) -> str:
    connection = db.server.admin_connection(db.name)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")  # tables are tiny here: ask if an index *can* serve
            cursor.execute(sql.SQL("EXPLAIN ") + query, params)
            return "\n".join(row[0] for row in cursor.fetchall())
    finally:
        connection.close()


def test_trigger_log_counts_use_connects_indexes(seeded_db: Database) -> None:
    failed = plan(
        seeded_db, failed_writes_query("salesforce", ["_trigger_log", "_trigger_log_archive"]), {"hours": 24}
    )
    stuck = plan(seeded_db, backlog_query("salesforce"), {"minutes": 30})

    assert "Index Scan using _trigger_log_idx_state_id on _trigger_log " in failed
    assert "Index Scan using _trigger_log_archive_idx_state_table_name on _trigger_log_archive" in failed
    assert "Bitmap Index Scan on _trigger_log_idx_state_table_name" in stuck
    assert "Seq Scan" not in failed + stuck
