"""The sandbox sees writes into Connect's own tables (`_trigger_log`, `_hcmeta`...), whatever code made them.

Deleting `_trigger_log` rows drops changes Connect would have sent to Salesforce, inserting rows
makes it push forged ones (https://devcenter.heroku.com/articles/heroku-connect-trigger-log).
Connect's own logger writes `_trigger_log` for every change to a mapped table: that is not a
migration touching Connect's internals.
"""

from __future__ import annotations

from pathlib import Path

from conftest_sandbox import Sandbox

from connect_gate.findings import Finding, Source, Status
from connect_gate.mapping_config import MappingConfig
from connect_gate.sandbox.judge import check_sandbox

FILE = "db/migrations/V5__data.sql"


def migrate(sandbox: Sandbox, config: MappingConfig, root: Path, sql: str) -> list[Finding]:
    """Run `sql` as a migration file with psql; the findings the sandbox reports on it."""
    path = root / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql)
    sandbox.psql(path)
    return list(check_sandbox(sandbox.url, config, root, ("**/migrations/*.sql",)).findings)


def statements(findings: list[Finding]) -> list[tuple[str, Status, int, str]]:
    return [
        (f.check_id, f.status, f.location.line if f.location else 0, f.mapping)
        for f in findings
        if f.source is Source.MIGRATIONS
    ]


def message(findings: list[Finding], check_id: str, line: int) -> str:
    [found] = [f for f in findings if f.check_id == check_id and f.location and f.location.line == line]
    return found.message


def queued_changes(findings: list[Finding]) -> list[str]:
    return [
        f.message for f in findings if f.check_id == "rows-queued-for-salesforce" and f.status is Status.RED
    ]


def test_a_do_block_deleting_queued_changes_is_connect_internals_touched(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    findings = migrate(
        sandbox,
        example_config,
        tmp_path,
        """\
UPDATE salesforce.account SET industry = 'Retail';
DO $$
BEGIN
    DELETE FROM salesforce._trigger_log WHERE state = 'NEW';
END $$;
""",
    )

    assert statements(findings) == [
        ("write-to-read-write-mapping", Status.RED, 1, "Account"),
        ("connect-internals-touched", Status.RED, 2, ""),
    ]
    assert message(findings, "connect-internals-touched", 2) == (
        "While this statement ran, the sandbox recorded DELETE on salesforce._trigger_log, whatever code did "
        "it (the statement, a DO block, a function or a trigger). A migration touches Heroku Connect's own "
        "tables, functions, indexes or the hstore extension."
    )
    assert queued_changes(findings) == []  # the three changes the UPDATE queued are gone


def test_sql_built_by_execute_inserting_into_hcmeta_is_found(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    findings = migrate(
        sandbox,
        example_config,
        tmp_path,
        "DO $$ BEGIN EXECUTE 'INSERT INTO salesforce.' || '_hcmeta (hcver, org_id) VALUES (99, ''x'')'; END $$;\n",
    )

    assert statements(findings) == [("connect-internals-touched", Status.RED, 1, "")]
    assert "recorded INSERT on salesforce._hcmeta, whatever code did it" in message(
        findings, "connect-internals-touched", 1
    )


def test_a_function_truncating_the_trigger_log_is_found_where_it_is_called(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    findings = migrate(
        sandbox,
        example_config,
        tmp_path,
        """\
CREATE FUNCTION public.start_over() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'TRUNCATE salesforce._trigger_log';
END $$;
SELECT public.start_over();
""",
    )

    assert statements(findings) == [
        ("unanalysable-code", Status.YELLOW, 1, ""),  # the body, for a person to read
        ("connect-internals-touched", Status.RED, 5, ""),
    ]
    assert "recorded TRUNCATE on salesforce._trigger_log, " in message(
        findings, "connect-internals-touched", 5
    )


def test_connect_queuing_a_write_to_a_mapped_table_is_not_a_write_to_its_internals(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    # contact's logger first runs in this session with salesforce on the search path: the call
    # stack names it without its schema
    findings = migrate(
        sandbox,
        example_config,
        tmp_path,
        """\
UPDATE salesforce.account SET industry = 'Retail';
SET search_path = salesforce, public;
UPDATE account SET name = name || ' Ltd';
INSERT INTO contact (lastname) VALUES ('Doe');
""",
    )

    assert statements(findings) == [
        ("write-to-read-write-mapping", Status.RED, 1, "Account"),
        ("write-to-read-write-mapping", Status.RED, 3, "Account"),
        ("write-to-read-only-mapping", Status.YELLOW, 4, "Contact"),
    ]
    assert [m.split(":")[0] for m in queued_changes(findings)] == [
        "The migrations made 6 change(s) to 3 row(s) of salesforce.account (Account, a read-write mapping)"
    ]


def test_an_app_trigger_forging_trigger_log_rows_is_found_and_so_is_a_forgery_next_to_a_real_write(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    findings = migrate(
        sandbox,
        example_config,
        tmp_path,
        """\
CREATE TABLE public.invoice (id serial PRIMARY KEY, account_id integer);
CREATE FUNCTION public.forge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO salesforce._trigger_log (action, table_name, state, record_id, "values")
    VALUES ('UPDATE', 'account', 'NEW', NEW.account_id, 'industry=>Forged');
    RETURN NEW;
END $$;
CREATE TRIGGER invoice_forges AFTER INSERT ON public.invoice FOR EACH ROW EXECUTE FUNCTION public.forge();
INSERT INTO public.invoice (account_id) VALUES (1);
DO $$
BEGIN
    UPDATE salesforce.account SET industry = 'Retail' WHERE id = 2;
    INSERT INTO salesforce._trigger_log (action, table_name, state, record_id) VALUES ('DELETE', 'account', 'NEW', 3);
END $$;
""",
    )

    assert statements(findings) == [
        ("unanalysable-code", Status.YELLOW, 2, ""),
        # the app's trigger on its own table wrote the log: not Connect's logger
        ("connect-internals-touched", Status.RED, 9, ""),
        # Connect's logger queued the UPDATE (not reported); the forged row next to it is
        ("write-to-read-write-mapping", Status.RED, 10, "Account"),
        ("connect-internals-touched", Status.RED, 10, ""),
    ]
    assert "recorded INSERT on salesforce._trigger_log, " in message(findings, "connect-internals-touched", 9)
    assert "recorded INSERT on salesforce._trigger_log, " in message(
        findings, "connect-internals-touched", 10
    )


def test_the_recorder_installs_where_a_system_table_is_missing(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed()
    sandbox.execute("DROP TABLE salesforce._sf_event_log")
    sandbox.seed("--record-only")

    findings = migrate(sandbox, example_config, tmp_path, "DELETE FROM salesforce._hcmeta;\n")

    assert statements(findings) == [("connect-internals-touched", Status.RED, 1, "")]
    assert sandbox.database.rows(
        "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'connect_gate_recorder' ORDER BY 1"
    ) == [
        ("salesforce._hcmeta",),
        ("salesforce._trigger_log",),
        ("salesforce._trigger_log_archive",),
        ("salesforce.account",),
        ("salesforce.contact",),
    ]


def test_an_app_function_named_like_connects_logger_is_not_taken_for_it(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    # the very INSERT of Connect's logger, in a function of the same name visible on the search path
    findings = migrate(
        sandbox,
        example_config,
        tmp_path,
        """\
CREATE TABLE public.note (id serial PRIMARY KEY, body text);
CREATE FUNCTION public.hc_account_logger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    trigger_row salesforce._trigger_log;
BEGIN
    trigger_row = ROW();
    trigger_row.id = nextval('salesforce._trigger_log_id_seq');
    trigger_row.action = 'DELETE';
    trigger_row.table_name = 'account';
    trigger_row.state = 'NEW';
    trigger_row.record_id = 1;
    INSERT INTO "salesforce"._trigger_log VALUES (trigger_row.*);
    RETURN NULL;
END $$;
CREATE TRIGGER note_logs AFTER INSERT ON public.note FOR EACH ROW EXECUTE FUNCTION public.hc_account_logger();
INSERT INTO public.note (body) VALUES ('hello');
""",
    )

    assert statements(findings) == [
        ("unanalysable-code", Status.YELLOW, 2, ""),
        ("connect-internals-touched", Status.RED, 16, ""),
    ]
