"""The sandbox: seed with the recorder, run migrations (psql, one query, Alembic), judge what they did."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest_pg import EXAMPLE_EXPORT, Database
from conftest_sandbox import Sandbox, alembic_revision, django_migrate, django_migration

from connect_gate.database.run import run_database_checks
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.gate import run
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.analyse import analyse_files, analyse_sql
from connect_gate.sandbox.judge import check_sandbox
from connect_gate.seed_cli import seed_main
from connect_gate.settings import Secret, Settings

RISKY_SQL = """\
-- Link invoices to accounts, backfill, and start over with contacts.
CREATE TABLE public.invoice (id serial PRIMARY KEY, account_id integer, total numeric);
ALTER TABLE public.invoice
    ADD CONSTRAINT invoice_account_fk FOREIGN KEY (account_id) REFERENCES salesforce.account (id);
INSERT INTO salesforce.account (name) VALUES ('Acme'), ('Globex');
UPDATE salesforce.account SET industry = 'Retail' WHERE industry IS NULL;
TRUNCATE salesforce.contact;
ALTER TABLE salesforce.account ADD COLUMN segment text NOT NULL DEFAULT 'none';
"""
HARMLESS_SQL = """\
CREATE TABLE public.invoice (id serial PRIMARY KEY, account_sfid varchar(18), total numeric);
CREATE INDEX invoice_account_sfid ON public.invoice (account_sfid);
INSERT INTO public.invoice (account_sfid, total) VALUES ('001000000000001AAA', 10);
"""


def repository(root: Path, sql: str) -> Path:
    path = root / "db" / "migrations" / "V2__link_invoices.sql"
    path.parent.mkdir(parents=True)
    path.write_text(sql)
    return path


def judged(sandbox: Sandbox, config: MappingConfig, root: Path) -> list[Finding]:
    return list(check_sandbox(sandbox.url, config, root, ("**/migrations/*.sql",)).findings)


def statement_rules(findings: list[Finding]) -> list[tuple[str, str, Location | None]]:
    return sorted(
        ((f.check_id, f.scope.name, f.location) for f in findings if f.source is Source.MIGRATIONS),
        key=lambda item: (item[2].line if item[2] else 0, item[0]),
    )


def test_a_sql_migration_run_by_psql_gets_the_static_analysis_findings_on_the_same_lines(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    path = repository(tmp_path, RISKY_SQL)
    sandbox.psql(path)

    findings = judged(sandbox, example_config, tmp_path)

    static = analyse_files([path], example_config, tmp_path).findings
    assert statement_rules(findings) == statement_rules(list(static))
    assert [(f.check_id, f.location.line if f.location else 0) for f in static] == [
        ("foreign-key-added-to-mapped-table", 4),
        ("write-to-read-write-mapping", 5),
        ("write-to-read-write-mapping", 6),
        ("truncate-mapped-table", 7),
        ("nullable-column-added", 8),  # NOT NULL with a default: Connect's inserts get the default
    ]
    queued = [f for f in findings if f.check_id == "rows-queued-for-salesforce"]
    assert [(f.status, f.scope, f.message) for f in queued] == [
        (
            Status.RED,
            Scope(ScopeKind.MAPPING, "Account", "sandbox"),
            "The migrations made 4 change(s) to 2 row(s) of salesforce.account (Account, a read-write "
            "mapping): INSERT 2, UPDATE 2. Heroku Connect queued them in _trigger_log and would write them "
            "to Salesforce (Connect ids 4, 5).",
        )
    ]
    database = [(f.check_id, f.scope.name, f.message) for f in findings if f.source is Source.DATABASE]
    assert [f for f in database if f[0] != "rows-queued-for-salesforce" and "nothing found" not in f[2]] == [
        ("app-owned-column", "Account", "salesforce.account has column(s) not in the mapping: segment"),
        (
            "foreign-key-into-mapped-table",
            "Account",
            "foreign key invoice_account_fk on public.invoice references salesforce.account: FOREIGN KEY "
            "(account_id) REFERENCES salesforce.account(id); it references Connect's id, which is renumbered "
            "when the table is reloaded",
        ),
        ("constraint-on-mapped-table", "Account", "salesforce.account.segment is NOT NULL"),
    ]
    # the recorder's own triggers on the mapped tables are not taken for the app's
    assert ("custom-trigger-rule-policy", "salesforce", "nothing found in schema salesforce") in database


def test_a_whole_file_sent_as_one_query_is_judged_once_per_statement(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    path = repository(tmp_path, RISKY_SQL)
    sandbox.execute(RISKY_SQL)

    findings = judged(sandbox, example_config, tmp_path)

    assert statement_rules(findings) == statement_rules(
        list(analyse_files([path], example_config, tmp_path).findings)
    )


def sandbox_user(sandbox: Sandbox) -> str:
    return sandbox.url.split("://", 1)[1].split(":", 1)[0]


def test_an_alembic_migration_gets_the_rules_of_the_equivalent_sql(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    alembic_revision(
        tmp_path,
        "a1",
        None,
        """
        op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True), sa.Column("account_id", sa.Integer))
        op.create_foreign_key(
            "invoice_account_fk", "invoice", "account", ["account_id"], ["id"], referent_schema="salesforce"
        )
        """,
    )
    migration = alembic_revision(
        tmp_path,
        "b2",
        "a1",
        """
        op.execute(
            \"\"\"
            UPDATE salesforce.account
               SET industry = 'Retail'
             WHERE industry IS NULL
            \"\"\"
        )
        op.drop_column("contact", "email", schema="salesforce")
        """,
    )
    sandbox.alembic_upgrade(tmp_path)

    findings = judged(sandbox, example_config, tmp_path)

    equivalent = """
        CREATE TABLE invoice (id serial PRIMARY KEY, account_id integer);
        ALTER TABLE invoice ADD CONSTRAINT invoice_account_fk FOREIGN KEY (account_id) REFERENCES salesforce.account (id);
        UPDATE salesforce.account SET industry = 'Retail' WHERE industry IS NULL;
        ALTER TABLE salesforce.contact DROP COLUMN email;
    """
    static = analyse_sql(equivalent, "equivalent.sql", example_config).findings
    assert (
        rules_and_tables(findings)
        == rules_and_tables(list(static))
        == [
            ("foreign-key-added-to-mapped-table", "salesforce.account"),
            ("mapped-column-changed", "salesforce.contact"),
            ("write-to-read-write-mapping", "salesforce.account"),
        ]
    )
    by_rule = {f.check_id: f for f in findings if f.source is Source.MIGRATIONS}
    # op.execute's SQL is in the migration file: the finding is on its line there
    update = by_rule["write-to-read-write-mapping"]
    assert (update.scope, update.location) == (
        Scope(ScopeKind.FILE, "alembic/versions/b2_migration.py"),
        Location("alembic/versions/b2_migration.py", 11, 16, 13, 31),
    )
    assert migration.read_text().splitlines()[10][15:33] == "salesforce.account"
    # SQL that Alembic generated is nowhere in the repository: the finding quotes it
    foreign_key = by_rule["foreign-key-added-to-mapped-table"]
    assert (foreign_key.scope, foreign_key.location) == (Scope(ScopeKind.DATABASE, "sandbox"), None)
    assert foreign_key.message.endswith(
        " Statement: ALTER TABLE invoice ADD CONSTRAINT invoice_account_fk FOREIGN KEY(account_id) "
        "REFERENCES salesforce.account (id)"
    )


def rules_and_tables(findings: list[Finding]) -> list[tuple[str, str]]:
    return sorted(
        (f.check_id, re.findall(r"salesforce\.\w+", f.message)[0])
        for f in findings
        if f.source is Source.MIGRATIONS
    )


def test_a_rails_migration_is_named_by_its_schema_migrations_row(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    ruby = tmp_path / "db" / "migrate" / "20261120091500_link_invoices.rb"
    ruby.parent.mkdir(parents=True)
    ruby.write_text(
        "class LinkInvoices < ActiveRecord::Migration[7.1]\n"
        "  def change\n    add_foreign_key :invoices, 'salesforce.account', column: :account_id\n  end\nend\n"
    )
    # What `rails db:migrate` sends: each migration and its version row in one transaction
    sandbox.execute(
        "CREATE TABLE schema_migrations (version varchar PRIMARY KEY)",
        "CREATE TABLE invoices (id bigserial PRIMARY KEY, account_id integer)",
    )
    sandbox.execute(
        'ALTER TABLE "invoices" ADD CONSTRAINT "fk_rails_0a1b2c" FOREIGN KEY ("account_id") '
        'REFERENCES "salesforce"."account" ("id")',
        """INSERT INTO "schema_migrations" ("version") VALUES ('20261120091500')""",
    )

    [finding] = [f for f in judged(sandbox, example_config, tmp_path) if f.source is Source.MIGRATIONS]

    migration = "db/migrate/20261120091500_link_invoices.rb"
    assert (finding.check_id, finding.scope, finding.location) == (
        "foreign-key-added-to-mapped-table",
        Scope(ScopeKind.FILE, migration),
        Location(migration, 1),
    )
    assert finding.message.endswith(
        ' Statement run by this migration: ALTER TABLE "invoices" ADD CONSTRAINT "fk_rails_0a1b2c" '
        'FOREIGN KEY ("account_id") REFERENCES "salesforce"."account" ("id")'
    )
    # on a pull request that did not change that migration (changed-only), it is left out
    later = check_sandbox(
        sandbox.url, example_config, tmp_path, (), changed={"db/migrate/20261201000000_x.rb"}
    )
    assert [f for f in later.findings if f.source is Source.MIGRATIONS] == []
    assert later.note.endswith("; 1 finding(s) in migration files the pull request did not change left out")


def test_seeding_again_with_force_starts_a_new_recording(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    sandbox.execute("TRUNCATE salesforce.contact")
    args = ["--mapping-config", str(EXAMPLE_EXPORT), "--database-url", sandbox.url, "--record", "--force"]
    assert seed_main(args) == 0

    result = check_sandbox(sandbox.url, example_config, tmp_path, ())

    assert result.note.startswith("sandbox: 0 distinct statement(s) recorded (0 command(s))")
    assert {f.status for f in result.findings} == {Status.GREEN}


def test_django_migrations_are_named_by_their_django_migrations_rows(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    django_migration(
        tmp_path,
        "0001_initial",
        """
        from django.db import migrations, models


        class Migration(migrations.Migration):
            initial = True
            operations = [
                migrations.CreateModel(
                    "Account",
                    [("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=255))],
                    options={"db_table": 'salesforce"."account', "managed": False},
                ),
                migrations.CreateModel("Invoice", [("id", models.BigAutoField(primary_key=True))]),
            ]
        """,
    )
    django_migration(
        tmp_path,
        "0002_invoice_account",
        """
        from django.db import migrations, models


        class Migration(migrations.Migration):
            dependencies = [("crm", "0001_initial")]
            operations = [
                migrations.AddField(
                    "invoice", "account", models.ForeignKey("crm.Account", models.CASCADE, null=True)
                ),
            ]
        """,
    )
    django_migration(
        tmp_path,
        "0003_backfill",
        """
        from django.db import migrations


        def backfill(apps, schema_editor):
            apps.get_model("crm", "Account").objects.filter(name="").update(name="Unknown")


        class Migration(migrations.Migration):
            dependencies = [("crm", "0002_invoice_account")]
            operations = [migrations.RunPython(backfill)]
        """,
    )
    django_migrate(sandbox, tmp_path)

    findings = [f for f in judged(sandbox, example_config, tmp_path) if f.source is Source.MIGRATIONS]

    assert [(f.check_id, f.location) for f in findings] == [
        # the constraint is deferred to the end of the migration, which Django records just after it
        ("foreign-key-added-to-mapped-table", Location("crm/migrations/0002_invoice_account.py", 1)),
        ("write-to-read-write-mapping", Location("crm/migrations/0003_backfill.py", 1)),
    ]
    equivalent = """
        ALTER TABLE crm_invoice ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES salesforce.account (id);
        UPDATE salesforce.account SET name = 'Unknown' WHERE name = '';
    """
    assert rules_and_tables(findings) == rules_and_tables(
        list(analyse_sql(equivalent, "equivalent.sql", example_config).findings)
    )


def test_harmless_migrations_leave_every_check_green(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    sandbox.psql(repository(tmp_path, HARMLESS_SQL))
    alembic_revision(
        tmp_path,
        "c3",
        None,
        """
        op.create_table("payment", sa.Column("id", sa.Integer, primary_key=True), sa.Column("account_sfid", sa.String(18)))
        op.execute("SELECT count(*) FROM salesforce.account")
        """,
    )
    sandbox.alembic_upgrade(tmp_path)

    result = run(
        Settings(
            mapping_config=str(EXAMPLE_EXPORT),
            sandbox_url=Secret(sandbox.url),
            migrations=None,
            report_dir=str(tmp_path / "report"),
        )
    )

    assert not result.verdict.blocked
    assert {d.finding.status for d in result.decisions} == {Status.GREEN}
    assert {d.finding.source for d in result.decisions} == {Source.DATABASE}
    assert result.notes == [
        "sandbox: 4 distinct statement(s) recorded (11 command(s)), 0 with findings, 0 of them traced to a "
        "migration file; database checks run on the end state"
    ]
    # the plain database checks, as `database-url` runs them, pass with the recorder installed
    assert {f.status for f in run_database_checks(sandbox.url, example_config)} == {Status.GREEN}


def test_the_recorder_lives_in_its_own_schema_and_cleanup_leaves_nothing(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    database = sandbox.database

    def leftovers() -> list[tuple[object, ...]]:
        return database.rows(
            """
            SELECT 'schema', nspname::text FROM pg_namespace WHERE nspname LIKE 'connect_gate%'
            UNION ALL SELECT 'event trigger', evtname::text FROM pg_event_trigger
            UNION ALL SELECT 'function', p.oid::regprocedure::text FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname LIKE 'connect_gate%'
            UNION ALL SELECT 'trigger', t.tgrelid::regclass || ' ' || t.tgname FROM pg_trigger t
                WHERE NOT t.tgisinternal AND t.tgname NOT LIKE 'hc\\_%' AND t.tgname <> 'tlog_insert_trigger'
            ORDER BY 1, 2""",
        )

    sandbox.seed("--record")
    out = capsys.readouterr().out
    assert out.endswith(", with the recorder (remove it with: connect-gate seed --cleanup)\n")
    assert leftovers() == [
        ("event trigger", "connect_gate_recorder_ddl"),
        ("event trigger", "connect_gate_recorder_drop"),
        ("function", "connect_gate_recorder.record_ddl()"),
        ("function", "connect_gate_recorder.record_write()"),
        ("function", "connect_gate_recorder.relation_of(oid,oid)"),
        ("function", "connect_gate_recorder.statement_id()"),
        ("schema", "connect_gate_recorder"),
        ("trigger", "salesforce._hcmeta connect_gate_recorder"),
        ("trigger", "salesforce._sf_event_log connect_gate_recorder"),
        ("trigger", "salesforce._trigger_log connect_gate_recorder"),
        ("trigger", "salesforce._trigger_log_archive connect_gate_recorder"),
        ("trigger", "salesforce.account connect_gate_recorder"),
        ("trigger", "salesforce.contact connect_gate_recorder"),
    ]

    assert seed_main(["--cleanup", "--database-url", sandbox.url]) == 0
    assert capsys.readouterr().out == (
        "Removed the recorder (schema connect_gate_recorder, its event triggers and triggers) from "
        f"{sandbox.url.split('://')[0]}://{sandbox_user(sandbox)}:***@127.0.0.1:{database.server.port}/"
        f"{database.name}\n"
    )
    assert leftovers() == []
    assert database.rows("SELECT count(*) FROM salesforce.account") == [(3,)]  # the seed stays
    assert seed_main(["--cleanup", "--database-url", sandbox.url]) == 0  # twice is fine


def test_row_by_row_writes_that_differ_only_in_constants_are_one_finding(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    sandbox.execute(*(f"INSERT INTO salesforce.account (name) VALUES ('Account {n}')" for n in range(50)))

    result = check_sandbox(sandbox.url, example_config, tmp_path, ())

    [finding] = [f for f in result.findings if f.source is Source.MIGRATIONS]
    assert finding.message.endswith(" Statement: INSERT INTO salesforce.account (name) VALUES ('Account 0')")
    assert result.note.endswith("; 49 differing from an earlier one only in constants judged with it")
    [queued] = [f for f in result.findings if f.check_id == "rows-queued-for-salesforce"]
    assert (
        "made 50 change(s) to 50 row(s)" in queued.message
        and "(Connect ids 4, 5, 6, 7, 8, …)" in queued.message  # after the 3 sample rows
    )


def test_migrations_run_by_a_role_that_is_not_the_installer_are_recorded(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    role = sandbox.database.server.user
    sandbox.database.execute(
        f"GRANT USAGE ON SCHEMA salesforce TO {role}; GRANT REFERENCES ON salesforce.account TO {role}"
    )
    migrator = Sandbox(sandbox.database, sandbox.database.url)  # the database's owner, not a superuser
    migrator.execute(
        "CREATE TABLE public.invoice (id serial PRIMARY KEY, account_id integer REFERENCES salesforce.account (id))"
    )

    result = check_sandbox(sandbox.url, example_config, tmp_path, ())

    assert result.note.startswith("sandbox: 2 distinct statement(s) recorded (")  # the GRANT too
    assert [f.check_id for f in result.findings if f.source is Source.MIGRATIONS] == [
        "foreign-key-added-to-mapped-table"
    ]


def test_record_needs_a_superuser_and_then_changes_nothing(
    empty_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    status = seed_main(["--mapping-config", str(EXAMPLE_EXPORT), "--database-url", empty_db.url, "--record"])

    assert (status, capsys.readouterr().err) == (
        2,
        "connect-gate seed: --record: the recorder uses event triggers, which only a superuser may create; "
        "connect as one (the postgres service container's POSTGRES_USER is)\n",
    )
    assert empty_db.rows("SELECT to_regnamespace('salesforce') IS NULL") == [(True,)]
