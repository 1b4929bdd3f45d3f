"""Each database check on a real PostgreSQL: seed from the example export, break one thing, read the finding."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest_pg import EXAMPLE_EXPORT, Database

from connect_gate import checks
from connect_gate.check import Check, Problem, Reads, info
from connect_gate.checks import database as database_checks
from connect_gate.checks import own_checks
from connect_gate.database.run import run_database_checks
from connect_gate.database.seed import seed
from connect_gate.database.state import DatabaseState
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.mapping_config import MappingConfig, load_export

CONNECTION = "protected-ridge-4963:DATABASE_URL:salesforce"
Row = tuple[str, str, str, str]  # check id, scope name, status, message


def problems(findings: list[Finding]) -> list[Row]:
    return [
        (f.check_id, f.scope.name, f.status.value, f.message)
        for f in findings
        if f.status is not Status.GREEN
    ]


def check(db: Database, config: MappingConfig) -> list[Row]:
    return problems(run_database_checks(db.url, config))


def test_a_clean_seeded_schema_is_all_green(seeded_db: Database, example_config: MappingConfig) -> None:
    findings = run_database_checks(seeded_db.url, example_config)

    schema = Scope(ScopeKind.DATABASE, "salesforce", CONNECTION)
    assert findings == [
        Finding(
            Source.DATABASE,
            check_id,
            database_check.info.title,
            schema,
            Status.GREEN,
            "nothing found in schema salesforce",
            database_check.info.url,
        )
        for database_check in database_checks.CHECKS
        if database_check.info.reads is Reads.DATABASE  # not `database-unreachable`: its source reports it
        for check_id in [database_check.info.id]
    ]


def test_a_missing_hcmeta(seeded_db: Database, example_config: MappingConfig) -> None:
    seeded_db.execute("DROP TABLE salesforce._hcmeta")

    findings = [f for f in run_database_checks(seeded_db.url, example_config) if f.status is not Status.GREEN]

    assert findings == [
        Finding(
            Source.DATABASE,
            "connect-schema",
            "Connect schema and system tables",
            Scope(ScopeKind.DATABASE, "salesforce", CONNECTION),
            Status.RED,
            "system table(s) missing from schema salesforce: _hcmeta",
            own_checks()["connect-schema"].url,
        )
    ]


def test_failed_writes_of_the_last_hours_per_table_with_samples(
    seeded_db: Database, example_config: MappingConfig
) -> None:
    seeded_db.execute("""
        INSERT INTO salesforce._trigger_log (state, action, table_name, sf_message) VALUES
            ('FAILED', 'INSERT', 'account', 'REQUIRED_FIELD_MISSING: Required fields are missing: [Name]'),
            ('FAILED', 'UPDATE', 'account', 'REQUIRED_FIELD_MISSING: Required fields are missing: [Name]'),
            ('SUCCESS', 'UPDATE', 'account', NULL);
        INSERT INTO salesforce._trigger_log_archive (state, action, table_name, sf_message, created_at) VALUES
            ('FAILED', 'UPDATE', 'account', 'ENTITY_IS_DELETED: entity is deleted', now() - interval '2 hours'),
            ('FAILED', 'UPDATE', 'account', 'too old to count', now() - interval '3 days');
    """)

    assert check(seeded_db, example_config) == [
        (
            "failed-writes",
            "Account",
            "RED",
            (
                "3 write(s) to Salesforce failed in the last 24 h: ENTITY_IS_DELETED: entity is deleted | "
                "REQUIRED_FIELD_MISSING: Required fields are missing: [Name]"
            ),
        ),
    ]
    assert problems(run_database_checks(seeded_db.url, example_config, failed_hours=1)) == [
        (
            "failed-writes",
            "Account",
            "RED",
            "2 write(s) to Salesforce failed in the last 1 h: REQUIRED_FIELD_MISSING: Required fields are missing: [Name]",
        ),
    ]


def test_stuck_new_and_pending_rows(seeded_db: Database, example_config: MappingConfig) -> None:
    seeded_db.execute("""
        INSERT INTO salesforce._trigger_log (state, action, table_name, created_at) VALUES
            ('PENDING', 'UPDATE', 'account', '2026-01-02 03:04:00+00'),
            ('PENDING', 'UPDATE', 'account', now() - interval '2 hours'),
            ('NEW', 'INSERT', 'account', now() - interval '40 minutes'),
            ('NEW', 'INSERT', 'account', now() - interval '5 minutes'),
            ('SUCCESS', 'INSERT', 'account', now() - interval '5 hours');
    """)

    assert check(seeded_db, example_config) == [
        (
            "stuck-writes",
            "Account",
            "YELLOW",
            (
                "3 change(s) waiting more than 30 minutes to be written to Salesforce (NEW: 1, PENDING: 2), "
                "the oldest since 2026-01-02 03:04 UTC"
            ),
        ),
    ]
    assert problems(run_database_checks(seeded_db.url, example_config, stuck_minutes=60))[0][3].startswith(
        "2 change(s) waiting more than 60 minutes to be written to Salesforce (PENDING: 2)"
    )


def test_the_upsert_field_without_its_unique_index(empty_db: Database, tmp_path: Path) -> None:
    export = json.loads(EXAMPLE_EXPORT.read_text())
    export["mappings"][0]["config"]["upsert_field"] = "External_ID__c"
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    config = load_export(path)
    seed(empty_db.url, config)
    assert check(empty_db, config) == []

    empty_db.execute("DROP INDEX salesforce.hcu_idx_account_external_id__c")

    assert check(empty_db, config) == [
        (
            "upsert-field-unique-index",
            "Account",
            "RED",
            "salesforce.account has no unique index on its upsert field External_ID__c (column external_id__c)",
        ),
    ]


def test_no_connect_schema_at_all(empty_db: Database, example_config: MappingConfig) -> None:
    assert check(empty_db, example_config) == [
        (
            "connect-schema",
            "salesforce",
            "RED",
            "schema salesforce does not exist: Connect keeps its tables in it",
        ),
        ("connect-extensions", "salesforce", "RED", "the hstore extension is not installed"),
        ("connect-extensions", "salesforce", "RED", "the function public.get_xmlbinary() does not exist"),
        *[
            (check_id, "salesforce", "SKIPPED", "schema salesforce does not exist")
            for check_id in (
                "mapped-table-missing",
                "mapped-column-missing",
                "system-column-missing",
                "app-owned-column",
                "connect-trigger",
                "foreign-key-into-mapped-table",
                "constraint-on-mapped-table",
                "custom-trigger-rule-policy",
                "upsert-field-unique-index",
            )
        ],
        ("failed-writes", "salesforce", "SKIPPED", "there is no salesforce._trigger_log to read"),
        ("stuck-writes", "salesforce", "SKIPPED", "there is no salesforce._trigger_log to read"),
    ]


def test_a_crashing_check_is_one_error_and_hides_nothing(
    seeded_db: Database, example_config: MappingConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(state: DatabaseState) -> list[Problem]:
        raise KeyError("surprise")

    crashing = info(
        sys.modules[__name__],
        "crashing-check",
        "Crashing check",
        Source.DATABASE,
        Status.RED,
        reads=Reads.DATABASE,
    )
    monkeypatch.setattr(checks, "CHECKS", (*checks.CHECKS, Check(crashing, crash)))
    seeded_db.execute("DROP TABLE salesforce._hcmeta")

    assert check(seeded_db, example_config) == [
        ("connect-schema", "salesforce", "RED", "system table(s) missing from schema salesforce: _hcmeta"),
        ("crashing-check", "salesforce", "ERROR", "crashing-check crashed: KeyError: 'surprise'"),
    ]


def test_findings_carry_the_connection_name_the_gate_gives(
    seeded_db: Database, example_config: MappingConfig
) -> None:
    seeded_db.execute("DROP TABLE salesforce.contact")

    findings = run_database_checks(seeded_db.url, example_config, connection="protected-ridge-4963")

    assert {f.scope for f in findings} == {
        Scope(ScopeKind.DATABASE, "salesforce", "protected-ridge-4963"),
        Scope(ScopeKind.MAPPING, "Contact", "protected-ridge-4963"),
    }


# One thing broken in the seeded schema (as the administrator) → exactly these findings (not GREEN):
# check id, scope name, status, message.
BROKEN: list[object] = [
    pytest.param(
        "CREATE TABLE public.invoice (id serial, account_id integer REFERENCES salesforce.account (id))",
        [
            (
                "foreign-key-into-mapped-table",
                "Account",
                "RED",
                (
                    "foreign key invoice_account_id_fkey on public.invoice references salesforce.account: "
                    "FOREIGN KEY (account_id) REFERENCES salesforce.account(id); "
                    "it references Connect's id, which is renumbered when the table is reloaded"
                ),
            )
        ],
        id="a_foreign_key_into_account_names_the_referencing_table_and_constraint",
    ),
    pytest.param(
        "ALTER TABLE salesforce.contact ADD CONSTRAINT contact_account FOREIGN KEY (accountid) "
        "REFERENCES salesforce.account (sfid) NOT VALID",
        [
            (
                "foreign-key-into-mapped-table",
                "Account",
                "RED",
                (
                    "foreign key contact_account on salesforce.contact references salesforce.account: "
                    "FOREIGN KEY (accountid) REFERENCES salesforce.account(sfid) NOT VALID"
                ),
            ),
            (
                "constraint-on-mapped-table",
                "Contact",
                "RED",
                (
                    "foreign key constraint contact_account on salesforce.contact: "
                    "FOREIGN KEY (accountid) REFERENCES salesforce.account(sfid) NOT VALID"
                ),
            ),
        ],
        id="a_not_valid_foreign_key_on_sfid_from_another_mapped_table",
    ),
    pytest.param(
        "ALTER TABLE salesforce.account DROP COLUMN industry",
        [
            (
                "mapped-column-missing",
                "Account",
                "RED",
                "salesforce.account has no column for the mapped field(s) Industry (industry)",
            ),
        ],
        id="a_dropped_mapped_column",
    ),
    pytest.param(
        "ALTER TABLE salesforce.contact DROP COLUMN _hc_err",
        [
            (
                "system-column-missing",
                "Contact",
                "RED",
                "salesforce.contact lacks Connect's system column(s) _hc_err",
            ),
        ],
        id="a_dropped_system_column",
    ),
    pytest.param(
        "DROP TABLE salesforce.contact",
        [
            ("mapped-table-missing", "Contact", "RED", "table salesforce.contact does not exist"),
        ],
        id="a_dropped_mapped_table",
    ),
    pytest.param(
        "ALTER TABLE salesforce.account ADD COLUMN loyalty_tier text NOT NULL DEFAULT 'none'",
        [
            (
                "app-owned-column",
                "Account",
                "YELLOW",
                "salesforce.account has column(s) not in the mapping: loyalty_tier",
            ),
            ("constraint-on-mapped-table", "Account", "RED", "salesforce.account.loyalty_tier is NOT NULL"),
        ],
        id="an_extra_not_null_column",
    ),
    pytest.param(
        "ALTER TABLE salesforce.account ADD CONSTRAINT name_length CHECK (length(name) > 2)",
        [
            (
                "constraint-on-mapped-table",
                "Account",
                "RED",
                "check constraint name_length on salesforce.account: CHECK ((length((name)::text) > 2))",
            ),
        ],
        id="a_check_constraint",
    ),
    pytest.param(
        """
        CREATE FUNCTION public.audit_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER audit AFTER UPDATE ON salesforce.account FOR EACH ROW EXECUTE FUNCTION public.audit_row();
    """,
        [
            (
                "custom-trigger-rule-policy",
                "Account",
                "RED",
                "trigger audit on salesforce.account (runs public.audit_row) is not Connect's",
            ),
        ],
        id="a_custom_trigger",
    ),
    pytest.param(
        """
        CREATE RULE keep_contacts AS ON DELETE TO salesforce.contact DO INSTEAD NOTHING;
        ALTER TABLE salesforce.contact ENABLE ROW LEVEL SECURITY;
        CREATE POLICY own_contacts ON salesforce.contact USING (true);
    """,
        [
            ("custom-trigger-rule-policy", "Contact", "RED", "policy own_contacts on salesforce.contact"),
            ("custom-trigger-rule-policy", "Contact", "RED", "row level security on salesforce.contact"),
            ("custom-trigger-rule-policy", "Contact", "RED", "rule keep_contacts on salesforce.contact"),
        ],
        id="rules_policies_and_row_level_security",
    ),
    pytest.param(
        """
        ALTER TABLE salesforce.account DISABLE TRIGGER hc_account_logtrigger;
        DROP TRIGGER hc_contact_status_trigger ON salesforce.contact;
    """,
        [
            (
                "connect-trigger",
                "Account",
                "RED",
                "trigger hc_account_logtrigger on salesforce.account is disabled",
            ),
            (
                "connect-trigger",
                "Contact",
                "RED",
                "trigger hc_contact_status_trigger on salesforce.contact is missing",
            ),
        ],
        id="a_disabled_and_a_dropped_connect_trigger",
    ),
    pytest.param(
        "DROP TRIGGER tlog_insert_trigger ON salesforce._trigger_log; "
        "DROP FUNCTION public.get_xmlbinary() CASCADE",
        [
            (
                "connect-schema",
                "salesforce",
                "RED",
                "trigger tlog_insert_trigger on salesforce._trigger_log is missing",
            ),
            ("connect-extensions", "salesforce", "RED", "the function public.get_xmlbinary() does not exist"),
            (
                "connect-trigger",
                "Account",
                "RED",
                "trigger hc_account_logtrigger on salesforce.account is missing",
            ),
            (
                "connect-trigger",
                "Contact",
                "RED",
                "trigger hc_contact_logtrigger on salesforce.contact is missing",
            ),
        ],
        id="a_missing_hstore_and_notify_trigger",
    ),
    pytest.param(
        """
        SET xmlbinary = hex;  -- as Connect's own sessions: not captured, status left as written
        INSERT INTO salesforce.account (name, _hc_lastop, _hc_err) VALUES
            ('Acme', 'FAILED', 'REQUIRED_FIELD_MISSING: Required fields are missing: [Industry]'),
            ('Initech', 'SYNCED', NULL);
    """,
        [
            (
                "failed-row-sync",
                "Account",
                "RED",
                "1 row(s) with _hc_lastop = FAILED; _hc_err: REQUIRED_FIELD_MISSING: Required fields are missing: [Industry]",
            ),
        ],
        id="rows_whose_last_sync_failed",
    ),
    pytest.param(
        "REVOKE SELECT ON salesforce._trigger_log FROM {user}",  # the role the gate connects as
        [
            (
                "failed-writes",
                "salesforce",
                "ERROR",
                "failed-writes could not run: the query failed: permission denied for table _trigger_log",
            ),
            (
                "stuck-writes",
                "salesforce",
                "ERROR",
                "stuck-writes could not run: the query failed: permission denied for table _trigger_log",
            ),
        ],
        id="a_query_that_fails_is_an_error_of_the_checks_that_need_it",
    ),
]


@pytest.mark.parametrize(("sql", "rows"), BROKEN)
def test_one_thing_broken_gives_exactly_its_findings(
    seeded_db: Database, example_config: MappingConfig, sql: str, rows: list[Row]
) -> None:
    seeded_db.execute(sql.replace("{user}", seeded_db.server.user))

    assert check(seeded_db, example_config) == rows
