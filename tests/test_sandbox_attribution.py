"""The sandbox judges what each migration did: per migration, whatever code did it, on seeded rows."""

from __future__ import annotations

from pathlib import Path

from conftest_pg import EXAMPLE_EXPORT
from conftest_sandbox import Sandbox, django_migrate, django_migration

from connect_gate.decide import Outcome
from connect_gate.findings import Finding, Location, Source, Status
from connect_gate.gate import run
from connect_gate.mapping_config import MappingConfig
from connect_gate.sandbox.judge import check_sandbox
from connect_gate.seed_cli import seed_main
from connect_gate.settings import Runner, Secret, Settings

ACCOUNT_MODEL = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(
            "Account",
            [
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=255)),
                ("industry", models.CharField(max_length=255, null=True)),
            ],
            options={"db_table": 'salesforce"."account', "managed": False},
        ),
    ]
"""


def data_migration(number: str, previous: str, body: str) -> str:
    return f"""
from django.db import migrations


def forward(apps, schema_editor):
    Account = apps.get_model("crm", "Account")
    {body}


class Migration(migrations.Migration):
    dependencies = [("crm", "{previous}")]
    operations = [migrations.RunPython(forward)]
"""


def rules(findings: tuple[Finding, ...]) -> list[tuple[str, Status, Location | None, str]]:
    return [(f.check_id, f.status, f.location, f.mapping) for f in findings if f.source is Source.MIGRATIONS]


def migrate_na_then_tbd(sandbox: Sandbox, tmp_path: Path) -> None:
    """Seed, then run three Django migrations: the model, and two data migrations of one shape
    (0002 sets industry to "N/A", 0003 to "TBD")."""
    sandbox.seed("--record")
    django_migration(tmp_path, "0001_initial", ACCOUNT_MODEL)
    django_migration(
        tmp_path, "0002_na", data_migration("0002", "0001_initial", 'Account.objects.update(industry="N/A")')
    )
    django_migration(
        tmp_path, "0003_tbd", data_migration("0003", "0002_na", 'Account.objects.update(industry="TBD")')
    )
    django_migrate(sandbox, tmp_path)


def test_a_new_migration_repeating_an_old_ones_statement_is_judged_as_the_new_one(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    migrate_na_then_tbd(sandbox, tmp_path)

    everything = check_sandbox(sandbox.url, example_config, tmp_path, ())
    changed = check_sandbox(sandbox.url, example_config, tmp_path, (), changed={"crm/migrations/0003_tbd.py"})

    red = ("write-to-read-write-mapping", Status.RED)
    assert rules(everything.findings) == [
        (*red, Location("crm/migrations/0002_na.py", 1), "Account"),
        (*red, Location("crm/migrations/0003_tbd.py", 1), "Account"),
    ]
    assert rules(changed.findings) == [(*red, Location("crm/migrations/0003_tbd.py", 1), "Account")]
    assert changed.note.endswith("; 1 finding(s) in migration files the pull request did not change left out")
    [queued] = [f for f in changed.findings if f.check_id == "rows-queued-for-salesforce"]
    assert "made 6 change(s) to 3 row(s)" in queued.message  # the 3 sample rows, updated twice


def test_the_same_text_sent_by_two_migrations_is_judged_for_each(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    for version in ("20261101000000", "20261201000000"):
        path = tmp_path / "db" / "migrate" / f"{version}_mark.rb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "class Mark < ActiveRecord::Migration[7.1]\n  def up\n    Account.update_all(industry: 'TBD')\n  end\nend\n"
        )
    # What `rails db:migrate` sends: each migration and its version row in one transaction; the
    # adapter's prepared statement is the same text both times
    sandbox.execute("CREATE TABLE schema_migrations (version varchar PRIMARY KEY)")
    for version in ("20261101000000", "20261201000000"):
        sandbox.execute(
            'PREPARE mark AS UPDATE "salesforce"."account" SET "industry" = $1; EXECUTE mark(\'TBD\')',
            f'INSERT INTO "schema_migrations" ("version") VALUES (\'{version}\')',
        )

    result = check_sandbox(
        sandbox.url, example_config, tmp_path, (), changed={"db/migrate/20261201000000_mark.rb"}
    )

    assert [(f.check_id, f.location) for f in result.findings if f.source is Source.MIGRATIONS] == [
        ("write-to-read-write-mapping", Location("db/migrate/20261201000000_mark.rb", 1))
    ]


def test_writes_and_ddl_made_by_a_do_block_a_function_or_a_trigger_are_judged(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    path = tmp_path / "db" / "migrations" / "V3__through_code.sql"
    path.parent.mkdir(parents=True)
    path.write_text(
        """\
CREATE TABLE public.invoice (id serial PRIMARY KEY, account_sfid varchar(18));
CREATE FUNCTION public.touch_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE salesforce.account SET industry = 'Billed' WHERE sfid = NEW.account_sfid;
    RETURN NEW;
END $$;
CREATE TRIGGER invoice_touches_account AFTER INSERT ON public.invoice
    FOR EACH ROW EXECUTE FUNCTION public.touch_account();
INSERT INTO public.invoice (account_sfid) VALUES ('001000000000001AAA');
CREATE FUNCTION public.backfill() RETURNS void LANGUAGE sql AS $$ DELETE FROM salesforce.contact $$;
SELECT public.backfill();
DO $$
BEGIN
    EXECUTE 'ALTER TABLE salesforce.account ADD COLUMN score integer';
    EXECUTE 'CREATE TRIGGER audit AFTER UPDATE ON salesforce.account '
            'FOR EACH ROW EXECUTE FUNCTION public.touch_account()';
    EXECUTE 'ALTER FUNCTION salesforce.tlog_notify_trigger() SECURITY DEFINER';
END $$;
"""
    )
    sandbox.psql(path)

    result = check_sandbox(sandbox.url, example_config, tmp_path, ("**/migrations/*.sql",))

    file = "db/migrations/V3__through_code.sql"
    assert [
        (f.check_id, f.status, f.location, f.mapping)
        for f in result.findings
        if f.source is Source.MIGRATIONS
    ] == [
        # creating a function changes no table: its body is for a person to read
        ("unanalysable-code", Status.YELLOW, Location(file, 2, 1, 6, 6), ""),
        # the app's trigger on its own table updated Connect's table
        ("write-to-read-write-mapping", Status.RED, Location(file, 9, 1, 9, 72), "Account"),
        ("unanalysable-code", Status.YELLOW, Location(file, 10, 1, 10, 99), ""),
        # a function wrote to a read-only mapping
        ("write-to-read-only-mapping", Status.YELLOW, Location(file, 11, 1, 11, 25), "Contact"),
        # a DO block whose first line is short is placed at its line
        ("mapped-table-altered", Status.YELLOW, Location(file, 12, 1, 12, 5), "Account"),
        ("custom-trigger-on-mapped-table", Status.RED, Location(file, 12, 1, 12, 5), "Account"),
        ("connect-internals-touched", Status.RED, Location(file, 12, 1, 12, 5), ""),
    ]
    by_rule = {f.check_id: f.message for f in result.findings}
    assert by_rule["write-to-read-only-mapping"].startswith(
        "While this statement ran, the sandbox recorded DELETE on salesforce.contact (Contact), whatever code "
        "did it (the statement, a DO block, a function or a trigger). A migration "
    )
    assert by_rule["custom-trigger-on-mapped-table"].startswith(
        "While this statement ran, the sandbox recorded CREATE TRIGGER audit on salesforce.account (Account)"
    )


def test_a_loop_over_seeded_rows_in_a_django_migration_writes_and_is_attributed(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record", "--sample-rows", "4")
    django_migration(tmp_path, "0001_initial", ACCOUNT_MODEL)
    django_migration(
        tmp_path,
        "0002_resave",
        data_migration(
            "0002", "0001_initial", "for account in Account.objects.all():\n        account.save()"
        ),
    )
    django_migrate(sandbox, tmp_path)

    result = check_sandbox(sandbox.url, example_config, tmp_path, ())

    assert rules(result.findings) == [
        ("write-to-read-write-mapping", Status.RED, Location("crm/migrations/0002_resave.py", 1), "Account")
    ]
    [queued] = [f for f in result.findings if f.check_id == "rows-queued-for-salesforce"]
    assert "made 4 change(s) to 4 row(s)" in queued.message and "UPDATE 4" in queued.message
    assert result.note.endswith("; 3 differing from an earlier one only in constants judged with it")


def test_the_recorder_installs_on_a_schema_seeded_and_loaded_earlier(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    base = ["--mapping-config", str(EXAMPLE_EXPORT), "--database-url", sandbox.url]
    assert seed_main([*base, "--record-only"]) == 2  # nothing seeded yet
    assert seed_main([*base, "--sample-rows", "0"]) == 0
    sandbox.execute("SET xmlbinary = hex", "INSERT INTO salesforce.account (name) VALUES ('Fixture')")
    assert seed_main([*base, "--record-only"]) == 0
    sandbox.execute("UPDATE salesforce.account SET industry = 'Retail'")

    result = check_sandbox(sandbox.url, example_config, tmp_path, ())

    assert [f.check_id for f in result.findings if f.source is Source.MIGRATIONS] == [
        "write-to-read-write-mapping"
    ]
    assert result.note.startswith("sandbox: 1 distinct statement(s) recorded (1 command(s))")


def test_a_reviewed_data_change_is_waived_by_mapping_and_migration_file(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    migrate_na_then_tbd(sandbox, tmp_path)
    policy = tmp_path / "connect-gate.yml"
    policy.write_text(
        """\
version: 1
waivers:
  - check: write-to-read-write-mapping
    mapping: Account
    file: crm/migrations/0003_tbd.py
    reason: "OPS-7: industry backfill reviewed with sales ops; Salesforce gets TBD on purpose"
    by: dana
    expires: 2099-12-31
  - check: rows-queued-for-salesforce
    mapping: Account
    reason: "OPS-7: the same backfill, as Connect queued it"
"""
    )

    result = run(
        Settings(
            mapping_config=str(EXAMPLE_EXPORT),
            sandbox_url=Secret(sandbox.url),
            migrations=None,
            policy=str(policy),
            report_dir=str(tmp_path / "report"),
            runner=Runner(workspace=str(tmp_path)),
        )
    )

    decided = {
        (d.finding.check_id, d.finding.file): (d.outcome, d.reason.replace(f"{tmp_path}/", ""))
        for d in result.decisions
        if d.finding.status is not Status.GREEN
    }
    assert decided == {
        ("write-to-read-write-mapping", "crm/migrations/0002_na.py"): (
            Outcome.BLOCK,
            "RED blocks by default (connect-gate.yml)",
        ),
        ("write-to-read-write-mapping", "crm/migrations/0003_tbd.py"): (
            Outcome.WAIVED,
            "waived by dana until 2099-12-31 (connect-gate.yml:3 waivers[0]): OPS-7: industry backfill "
            "reviewed with sales ops; Salesforce gets TBD on purpose",
        ),
        ("rows-queued-for-salesforce", ""): (
            Outcome.WAIVED,
            "waived (connect-gate.yml:9 waivers[1]): OPS-7: the same backfill, as Connect queued it",
        ),
    }
    assert result.verdict.blocked  # the old migration's write is not covered by the waiver


def test_an_orm_statement_is_placed_on_the_line_its_query_log_tag_names(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    path = tmp_path / "db" / "migrate" / "20261201000000_mark_tbd.rb"
    path.parent.mkdir(parents=True)
    path.write_text(
        "class MarkTbd < ActiveRecord::Migration[7.2]\n  def up\n    Account.update_all(industry: 'TBD')\n  end\nend\n"
    )
    # What Rails 7.2 sends with `query_log_tags = [:source_location]` (SQLCommenter format)
    sandbox.execute("CREATE TABLE schema_migrations (version varchar PRIMARY KEY)")
    sandbox.execute(
        'UPDATE "salesforce"."account" SET "industry" = \'TBD\' '
        "/*source_location='db%2Fmigrate%2F20261201000000_mark_tbd.rb%3A3%3Ain%20%60up%27'*/",
        'INSERT INTO "schema_migrations" ("version") VALUES (\'20261201000000\')',
    )

    result = check_sandbox(sandbox.url, example_config, tmp_path, ())

    assert rules(result.findings) == [
        (
            "write-to-read-write-mapping",
            Status.RED,
            Location("db/migrate/20261201000000_mark_tbd.rb", 3),
            "Account",
        )
    ]
