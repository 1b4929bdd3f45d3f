"""What `truncate-cascade-to-mapped-table` and `concurrent-index-in-transaction` claim, checked
on the real PostgreSQL: TRUNCATE ... CASCADE empties a mapped table that references the
truncated one, and CREATE INDEX CONCURRENTLY is refused inside a transaction block (DROP INDEX and
REINDEX CONCURRENTLY are sent to it in test_migrations_tool_transactions.py)."""

from __future__ import annotations

from pathlib import Path

import psycopg2
import pytest
from conftest_pg import Database

from connect_gate.findings import Finding, Status
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.analyse import analyse_files, analyse_sql

REFERENCE = """
CREATE TABLE public.region (id integer PRIMARY KEY);
ALTER TABLE salesforce.account ADD COLUMN region_id integer REFERENCES public.region (id);
"""
CASCADE = "TRUNCATE public.region CASCADE;\n"


def findings(sql: str, config: MappingConfig, check_id: str) -> list[Finding]:
    """A plain SQL file, run by psql: only its own BEGIN opens a transaction block (the tools' own
    transactions are tested in test_migrations_tool_transactions.py)."""
    return [f for f in analyse_sql(sql, "db/m.sql", config).findings if f.check_id == check_id]


def test_truncate_cascade_empties_a_mapped_table_with_a_foreign_key_and_is_reported_red(
    seeded_db: Database, example_config: MappingConfig
) -> None:
    seeded_db.execute(REFERENCE)
    seeded_db.execute("INSERT INTO public.region VALUES (1)")
    seeded_db.execute("INSERT INTO salesforce.account (name, region_id) VALUES ('Acme', 1)")
    with pytest.raises(psycopg2.Error, match="cannot truncate a table referenced in a foreign key"):
        seeded_db.execute("TRUNCATE public.region")
    seeded_db.execute(CASCADE)
    assert seeded_db.rows("SELECT count(*) FROM salesforce.account") == [(0,)]

    [finding] = findings(REFERENCE + CASCADE, example_config, "truncate-cascade-to-mapped-table")
    assert finding.status is Status.RED
    assert "also empties salesforce.account" in finding.message
    assert finding.location is not None and finding.location.line == 4


def test_a_foreign_key_added_by_an_earlier_file_of_the_run_is_followed(
    tmp_path: Path, example_config: MappingConfig
) -> None:
    (tmp_path / "V1__region.sql").write_text(REFERENCE, encoding="utf-8")
    (tmp_path / "V2__reset.sql").write_text(CASCADE, encoding="utf-8")
    paths = [tmp_path / "V1__region.sql", tmp_path / "V2__reset.sql"]
    analysis = analyse_files(paths, example_config, tmp_path)
    [finding] = [f for f in analysis.findings if f.check_id == "truncate-cascade-to-mapped-table"]
    assert (finding.location and finding.location.file, finding.status) == ("V2__reset.sql", Status.RED)
    assert "also empties salesforce.account" in finding.message


def test_a_cascade_the_file_does_not_explain_is_yellow_and_says_it_cannot_be_checked(
    example_config: MappingConfig,
) -> None:
    [finding] = findings(CASCADE, example_config, "truncate-cascade-to-mapped-table")
    assert finding.status is Status.YELLOW
    assert "cannot tell statically whether a mapped table is one of them" in finding.message


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE public.region;",  # no CASCADE: PostgreSQL refuses rather than empty other tables
        "TRUNCATE public.region RESTRICT;",
        "CREATE TABLE public.region (id integer PRIMARY KEY);\n"  # a foreign key from a table of our own
        "CREATE TABLE public.shop (region_id integer REFERENCES public.region (id));\n"
        "TRUNCATE public.region, public.shop;",
    ],
)
def test_a_truncate_without_cascade_is_not_reported(example_config: MappingConfig, sql: str) -> None:
    assert findings(sql, example_config, "truncate-cascade-to-mapped-table") == []


def test_a_cascade_truncate_of_a_mapped_table_is_reported_once_by_truncate_mapped_table(
    example_config: MappingConfig,
) -> None:
    found = [
        f.check_id
        for f in analyse_sql("TRUNCATE salesforce.account CASCADE;", "V1.sql", example_config).findings
    ]
    assert found == ["truncate-mapped-table"]


INDEX = "CREATE INDEX CONCURRENTLY account_industry ON salesforce.account (industry)"


def test_postgresql_refuses_create_index_concurrently_inside_a_transaction_block(seeded_db: Database) -> None:
    connection = seeded_db.server.admin_connection(
        seeded_db.name
    )  # autocommit: one statement at a time, as psql
    try:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            with pytest.raises(psycopg2.Error, match="cannot run inside a transaction block"):
                cursor.execute(INDEX)
            cursor.execute("ROLLBACK")
            cursor.execute(INDEX)  # outside the block it is built
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'account_industry'")
            assert cursor.fetchall() == [(1,)]
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("before", "reported"),
    [
        ("BEGIN;", True),
        ("START TRANSACTION ISOLATION LEVEL SERIALIZABLE;", True),
        ("BEGIN; SAVEPOINT s; ROLLBACK TO SAVEPOINT s;", True),  # still inside the block
        ("BEGIN; COMMIT AND CHAIN;", True),  # the next transaction starts at once
        ("BEGIN; COMMIT;", False),
        ("BEGIN; END;", False),
        ("START TRANSACTION; ROLLBACK;", False),
        ("BEGIN; ABORT;", False),
        ("", False),
    ],
)
def test_concurrent_index_is_reported_inside_the_files_own_transaction_block(
    example_config: MappingConfig, before: str, reported: bool
) -> None:
    found = findings(f"{before}\n{INDEX};\nCOMMIT;\n", example_config, "concurrent-index-in-transaction")
    assert len(found) == (1 if reported else 0)
    if reported:
        assert found[0].location is not None and found[0].location.line == 2
        assert "refuses it inside a transaction block" in found[0].message


def test_a_concurrent_index_on_a_table_of_our_own_is_not_reported(example_config: MappingConfig) -> None:
    sql = "BEGIN;\nCREATE INDEX CONCURRENTLY shop_name ON public.shop (name);\nCOMMIT;\n"
    assert findings(sql, example_config, "concurrent-index-in-transaction") == []


def test_the_transaction_block_is_per_file(example_config: MappingConfig) -> None:
    first = analyse_sql("BEGIN;\n", "V1.sql", example_config)
    second = analyse_sql(f"{INDEX};\n", "V2.sql", example_config)
    assert [f.check_id for f in (*first.findings, *second.findings)] == ["index-lost-on-reimport"]


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        (
            "BEGIN;\nDROP INDEX CONCURRENTLY salesforce.hc_idx_account_systemmodstamp;",
            "Drops index salesforce.hc_idx_account_systemmodstamp of salesforce.account (Account) CONCURRENTLY",
        ),
        (
            "BEGIN;\nREINDEX TABLE CONCURRENTLY salesforce.account;",
            "Rebuilds the indexes of salesforce.account (Account) CONCURRENTLY",
        ),
        (
            "SET search_path = salesforce;\nBEGIN; REINDEX (VERBOSE, CONCURRENTLY on) INDEX hcu_idx_contact_sfid;",
            "Rebuilds index hcu_idx_contact_sfid of salesforce.contact (Contact) CONCURRENTLY",
        ),
    ],
)
def test_drop_index_and_reindex_concurrently_of_a_mapped_table_are_reported_inside_begin(
    example_config: MappingConfig, sql: str, says: str
) -> None:
    [finding] = findings(f"{sql}\nCOMMIT;\n", example_config, "concurrent-index-in-transaction")
    assert finding.message.startswith(f"{says} after this file's BEGIN: PostgreSQL refuses it")
    assert finding.location is not None and finding.location.line == 2


@pytest.mark.parametrize(
    "sql",
    [
        "DROP INDEX CONCURRENTLY salesforce.hc_idx_account_systemmodstamp;",  # no BEGIN
        "BEGIN;\nDROP INDEX salesforce.hc_idx_account_systemmodstamp;",  # not CONCURRENTLY
        "BEGIN;\nREINDEX (CONCURRENTLY false) TABLE salesforce.account;",
        "BEGIN;\nREINDEX TABLE CONCURRENTLY public.shop;",
        "BEGIN;\nDROP INDEX CONCURRENTLY hc_idx_account_systemmodstamp;",  # public's, not Connect's
        "BEGIN;\nREINDEX INDEX CONCURRENTLY salesforce.hc_idx_lead_sfid;",  # no such mapping
        "BEGIN;\nDROP INDEX CONCURRENTLY salesforce.account_industry;",  # whose table is unknown
    ],
)
def test_an_index_operation_the_gate_cannot_trace_to_a_mapped_table_in_a_transaction_is_not_reported(
    example_config: MappingConfig, sql: str
) -> None:
    assert findings(f"{sql}\nCOMMIT;\n", example_config, "concurrent-index-in-transaction") == []


def test_an_index_created_on_a_mapped_table_earlier_in_the_file_is_traced_by_its_name(
    example_config: MappingConfig,
) -> None:
    create = "SET search_path = salesforce, public;\nCREATE INDEX CONCURRENTLY idx_industry ON account (industry);\n"
    later = (
        "BEGIN;\nREINDEX INDEX CONCURRENTLY idx_industry;\nDROP INDEX CONCURRENTLY salesforce.idx_industry;\n"
    )
    found = findings(create + later, example_config, "concurrent-index-in-transaction")
    assert [(f.location and f.location.line, f.message.split(" CONCURRENTLY")[0]) for f in found] == [
        (4, "Rebuilds index idx_industry of salesforce.account (Account)"),
        (5, "Drops index salesforce.idx_industry of salesforce.account (Account)"),
    ]
    assert findings(later, example_config, "concurrent-index-in-transaction") == []  # another file
