"""Seeding a Connect-shaped schema from an export file, and `connect-gate seed`."""

from __future__ import annotations

import pytest
from conftest_pg import EXAMPLE_EXPORT, Database

from connect_gate.database.run import run_database_checks
from connect_gate.database.seed import seed
from connect_gate.errors import InputError
from connect_gate.findings import Status
from connect_gate.mapping_config import MappingConfig
from connect_gate.seed_cli import seed_main


def shown_url(db: Database) -> str:
    return f"postgresql://{db.server.user}:***@127.0.0.1:{db.server.port}/{db.name}"


def test_seed_creates_what_connect_keeps(empty_db: Database, example_config: MappingConfig) -> None:
    report = seed(empty_db.url, example_config)

    assert report.summary == f"Seeded schema salesforce with 2 mapped table(s) into {shown_url(empty_db)}"
    assert empty_db.rows(
        """
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'salesforce' AND c.relkind IN ('r', 'i') AND c.relname NOT LIKE '%pkey'
        ORDER BY 1""",
    ) == [
        ("_hcmeta", "r"),
        ("_sf_event_log", "r"),
        ("_trigger_log", "r"),
        ("_trigger_log_archive", "r"),
        ("_trigger_log_archive_idx_created_at", "i"),
        ("_trigger_log_archive_idx_record_id", "i"),
        ("_trigger_log_archive_idx_state_table_name", "i"),
        ("_trigger_log_idx_created_at", "i"),
        ("_trigger_log_idx_state_id", "i"),
        ("_trigger_log_idx_state_table_name", "i"),
        ("account", "r"),
        ("contact", "r"),
        ("hc_idx_account_systemmodstamp", "i"),
        ("hc_idx_contact_systemmodstamp", "i"),
        ("hcu_idx_account_sfid", "i"),
        ("hcu_idx_contact_sfid", "i"),
    ]
    assert empty_db.rows(
        """
        SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
        WHERE attrelid = 'salesforce.contact'::regclass AND attnum > 0 ORDER BY attnum""",
    ) == [
        ("id", "integer"),
        ("sfid", "character varying(18)"),
        ("systemmodstamp", "timestamp without time zone"),
        ("_hc_lastop", "character varying(32)"),
        ("_hc_err", "text"),
        ("accountid", "character varying(255)"),
        ("email", "character varying(255)"),
        ("firstname", "character varying(255)"),
        ("isdeleted", "boolean"),
        ("lastname", "character varying(255)"),
    ]


def test_user_writes_are_captured_as_connect_captures_them(seeded_db: Database) -> None:
    seeded_db.execute("""
        INSERT INTO salesforce.account (name) VALUES ('Acme');
        UPDATE salesforce.account SET industry = 'Retail';
        INSERT INTO salesforce.contact (lastname) VALUES ('Doe');
        SET xmlbinary = hex;  -- Connect's own sessions: not captured
        INSERT INTO salesforce.account (name, _hc_lastop) VALUES ('From Salesforce', 'SYNCED');
    """)

    assert seeded_db.rows(
        """
        SELECT state, action, table_name, record_id, "values" FROM salesforce._trigger_log ORDER BY id""",
    ) == [
        (
            "NEW",
            "INSERT",
            "account",
            1,
            str(
                seeded_db.rows(
                    """
            SELECT (public.hstore(a.*) - ARRAY['_hc_lastop', '_hc_err'])::text FROM salesforce.account a
            WHERE id = 1""",
                )[0][0]
            ).replace('"Retail"', "NULL"),
        ),
        ("NEW", "UPDATE", "account", 1, '"industry"=>"Retail"'),
        (
            "READONLY",
            "INSERT",
            "contact",
            1,
            seeded_db.rows(
                """
            SELECT (public.hstore(c.*) - ARRAY['_hc_lastop', '_hc_err'])::text FROM salesforce.contact c""",
            )[0][0],
        ),
    ]
    assert seeded_db.rows("SELECT name, _hc_lastop FROM salesforce.account ORDER BY id") == [
        ("Acme", "PENDING"),
        ("From Salesforce", "SYNCED"),
    ]


def test_seed_refuses_a_schema_that_holds_tables(seeded_db: Database, example_config: MappingConfig) -> None:
    with pytest.raises(InputError) as raised:
        seed(seeded_db.url, example_config)

    assert str(raised.value) == (
        f"database-url: schema salesforce in {shown_url(seeded_db)} already holds tables "
        "(_hcmeta, _sf_event_log, _trigger_log, ...); seed only into an empty schema, or pass --force to drop it first"
    )


def test_force_replaces_the_schema(seeded_db: Database, example_config: MappingConfig) -> None:
    seeded_db.execute("DROP TABLE salesforce._hcmeta; CREATE TABLE salesforce.leftover (id integer)")

    report = seed(seeded_db.url, example_config, force=True)

    assert report.replaced
    assert report.summary.endswith(" (replacing the existing schema)")
    assert {f.status for f in run_database_checks(seeded_db.url, example_config)} == {Status.GREEN}
    assert seeded_db.rows("SELECT to_regclass('salesforce.leftover') IS NULL") == [(True,)]


def test_seed_main_seeds_into_another_schema(empty_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status = seed_main(
        ["--mapping-config", str(EXAMPLE_EXPORT), "--database-url", empty_db.url, "--schema", "crm"]
    )

    out, err = capsys.readouterr()
    assert (status, out, err) == (
        0,
        f"Seeded schema crm with 2 mapped table(s) and 3 sample row(s) in each into {shown_url(empty_db)}\n",
        "",
    )
    assert empty_db.rows("SELECT to_regclass('crm.account') IS NOT NULL") == [(True,)]


def test_seed_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert seed_main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: connect-gate seed [-h] [--mapping-config FILE]")
    assert "--force" in out and "exit status: 0 seeded, 2 bad input" in out


def test_seed_main_bad_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)

    assert seed_main([]) == 2
    assert capsys.readouterr().err == (
        "connect-gate seed: --mapping-config: required (the JSON file `heroku connect:export` writes)\n"
    )
    assert seed_main(["--mapping-config", str(EXAMPLE_EXPORT)]) == 2
    assert capsys.readouterr().err == "connect-gate seed: --database-url: required (or set DATABASE_URL)\n"
    assert (
        seed_main(["--mapping-config", "missing.json", "--database-url", "postgres://u:p@127.0.0.1/d"]) == 2
    )
    assert capsys.readouterr().err == "connect-gate seed: missing.json: mapping configuration not found\n"


def test_sample_rows_fit_their_columns_and_are_not_queued_for_salesforce(
    empty_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--mapping-config", str(EXAMPLE_EXPORT), "--database-url", empty_db.url, "--sample-rows", "2"]
    assert seed_main(args) == 0
    assert capsys.readouterr().out.startswith(
        "Seeded schema salesforce with 2 mapped table(s) and 2 sample row(s)"
    )

    assert empty_db.rows(
        "SELECT id, sfid, name, accountnumber, industry, external_id__c, isdeleted, _hc_lastop, _hc_err, "
        "systemmodstamp < now(), createddate < now() FROM salesforce.account ORDER BY id"
    ) == [
        (
            1,
            "001000000000001AAA",
            "Sample Account 1",
            "Accountnumber 1",
            "Industry 1",
            "External Id 1",
            False,
            "SYNCED",
            None,
            True,
            True,
        ),
        (
            2,
            "001000000000002AAA",
            "Sample Account 2",
            "Accountnumber 2",
            "Industry 2",
            "External Id 2",
            False,
            "SYNCED",
            None,
            True,
            True,
        ),
    ]
    # a contact's AccountId is the seeded account of the same number
    assert empty_db.rows(
        "SELECT c.sfid, c.firstname, c.lastname, c.email, a.name FROM salesforce.contact c "
        "JOIN salesforce.account a ON a.sfid = c.accountid ORDER BY c.id"
    ) == [
        ("003000000000001AAA", "Sample", "Contact 1", "sample1@example.com", "Sample Account 1"),
        ("003000000000002AAA", "Sample", "Contact 2", "sample2@example.com", "Sample Account 2"),
    ]
    # written as Connect writes: nothing queued for Salesforce, and a user's change still is
    assert empty_db.rows("SELECT count(*) FROM salesforce._trigger_log") == [(0,)]
    empty_db.execute("UPDATE salesforce.account SET industry = 'Retail' WHERE id = 1")
    assert empty_db.rows("SELECT action, record_id, state FROM salesforce._trigger_log") == [
        ("UPDATE", 1, "NEW")
    ]


def test_sample_rows_must_be_a_number(empty_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--mapping-config", str(EXAMPLE_EXPORT), "--database-url", empty_db.url, "--sample-rows", "-1"]
    assert seed_main(args) == 2
    assert (
        "argument --sample-rows: expected a number of rows (0 or more), got '-1'" in capsys.readouterr().err
    )
