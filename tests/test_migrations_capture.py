"""Rules added for what stops Connect's capture or touches its own machinery, and finer wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_gate.mapping_config import load_export
from connect_gate.migrations.analyse import analyse_sql
from connect_gate.migrations.context import Relation

EXPORT = Path(__file__).resolve().parent.parent / "examples" / "connect-export.json"


def found(sql: str) -> list[tuple[int, str]]:
    analysis = analyse_sql(sql, "x.sql", load_export(EXPORT))
    return sorted((f.location.line if f.location else 0, f.check_id) for f in analysis.findings)


@pytest.mark.parametrize(
    "sql",
    [
        "SET xmlbinary TO 'hex';",
        "SET LOCAL xmlbinary = hex;",
        "SELECT set_config('xmlbinary', 'hex', true);",
        "ALTER DATABASE app SET xmlbinary = hex;",
        "ALTER ROLE app SET session_replication_role = replica;",
        "SELECT pg_catalog.set_config('session_replication_role', 'replica', false);",
        "ALTER TRIGGER hc_account_logtrigger ON salesforce.account RENAME TO old_logtrigger;",
        "CREATE OR REPLACE TRIGGER hc_account_logtrigger AFTER INSERT ON salesforce.account "
        "FOR EACH ROW EXECUTE FUNCTION public.noop();",
    ],
)
def test_what_stops_or_replaces_connects_capture_is_reported_as_such(sql: str) -> None:
    assert found(sql) == [(1, "connect-trigger-disabled")]


def test_connects_own_settings_and_other_triggers_are_not_reported_as_that() -> None:
    assert found("SET xmlbinary TO base64;\nSET session_replication_role = origin;") == []
    assert found(
        "CREATE OR REPLACE TRIGGER audit AFTER INSERT ON salesforce.account FOR EACH ROW EXECUTE FUNCTION f();"
    ) == [(1, "custom-trigger-on-mapped-table")]


def test_unique_constraints_and_indexes_are_reported_on_read_only_mappings_only() -> None:
    assert found(
        "CREATE UNIQUE INDEX c_email ON salesforce.contact (email);\n"
        "ALTER TABLE salesforce.contact ADD CONSTRAINT c_u UNIQUE (email);\n"
        "CREATE UNIQUE INDEX CONCURRENTLY a_name ON salesforce.account (name);\n"
    ) == [
        (1, "constraint-added-to-mapped-table"),
        (1, "index-lost-on-reimport"),
        (1, "index-without-concurrently"),
        (2, "constraint-added-to-mapped-table"),
        (3, "index-lost-on-reimport"),
    ]


def test_a_new_not_null_column_with_a_default_is_a_column_of_ours_not_a_failing_constraint() -> None:
    assert found(
        "ALTER TABLE salesforce.account ADD COLUMN a text NOT NULL DEFAULT 'x';\n"
        "ALTER TABLE salesforce.account ADD COLUMN b text NOT NULL;"
    ) == [(1, "nullable-column-added"), (2, "constraint-added-to-mapped-table")]


def test_names_are_quoted_where_postgresql_needs_it() -> None:
    assert [
        str(Relation(*parts)) for parts in (("org", "user"), ("salesforce", "Account"), ("public", "name"))
    ] == [
        'org."user"',
        'salesforce."Account"',
        "public.name",
    ]
    message = found_messages('ALTER TABLE salesforce.account RENAME COLUMN name TO "order";')[0]
    assert message.startswith('Renames mapped column name of salesforce.account to "order" (Account)')


def found_messages(sql: str) -> list[str]:
    return [f.message for f in analyse_sql(sql, "x.sql", load_export(EXPORT)).findings]


def test_unanalysable_code_counts_identifiers_not_comments_strings_or_keywords() -> None:
    quiet = "DO $$ BEGIN -- salesforce.account\n RAISE NOTICE 'salesforce.account'; END $$;"
    assert found(quiet) == []
    assert found("DO $$ BEGIN UPDATE salesforce.account SET name = 'x'; END $$;") == [
        (1, "unanalysable-code")
    ]
    assert found("DO $$ BEGIN EXECUTE 'TRUNCATE salesforce.contact'; END $$;") == [(1, "unanalysable-code")]


@pytest.mark.parametrize(
    "sql",
    [
        "LOCK TABLE salesforce.account IN ACCESS EXCLUSIVE MODE;",
        "VACUUM (FULL, ANALYZE) salesforce.contact;",
        "CLUSTER salesforce.account USING account_pkey;",
        "REINDEX TABLE salesforce.account;",
        "REINDEX (CONCURRENTLY false) TABLE salesforce.account;",  # PostgreSQL reads the option's value
        "ALTER TABLE salesforce.account SET UNLOGGED;",
        "ALTER TABLE salesforce.account ALTER COLUMN my_score TYPE bigint;",
    ],
)
def test_heavy_locks_and_rewrites_of_mapped_tables_are_reported(sql: str) -> None:
    assert (1, "lock-heavy-statement-on-mapped-table") in found(sql)


def test_light_or_unmapped_maintenance_is_not_reported_as_a_heavy_lock() -> None:
    sql = "REINDEX TABLE CONCURRENTLY salesforce.account;\nVACUUM salesforce.account;\nVACUUM FULL public.audit;"
    assert found(sql) == []


def test_resetting_connects_id_sequence_is_reported() -> None:
    assert found(
        "ALTER SEQUENCE salesforce.account_id_seq RESTART WITH 1;\n"
        "SELECT setval('salesforce.contact_id_seq', 1);\n"
        "SELECT setval('public.invoice_id_seq', 1);"
    ) == [(1, "connect-internals-touched"), (2, "connect-internals-touched")]
