"""What a reviewer reads: the migration rules' findings, word for word, and the registry's docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from connect_gate.check import Check, Problem, Reads
from connect_gate.checks import database as database_checks
from connect_gate.checks import gate, own_checks
from connect_gate.checks import migrations as migration_checks
from connect_gate.checks.diagnostics import KNOWN_CHECKS
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.mapping_config import MappingConfig, load_export
from connect_gate.migrations import analyse as engine
from connect_gate.migrations.analyse import analyse_sql
from connect_gate.migrations.parse import parse
from connect_gate.migrations.search_path import next_search_path
from connect_gate.migrations.text import LineIndex

RULES = {check.info.id: check.info for check in migration_checks.CHECKS}
EXPORT = Path(__file__).resolve().parent.parent / "examples" / "connect-export.json"


def config(schema: str | None = None) -> MappingConfig:
    return load_export(EXPORT, schema)


def only(sql: str, schema: str | None = None) -> Finding:
    findings = analyse_sql(sql, "db/migrate/V2__x.sql", config(schema)).findings
    assert len(findings) == 1, findings
    return findings[0]


def test_a_foreign_key_into_a_mapped_table_is_reported_whole() -> None:
    sql = (
        "-- invoices\nCREATE TABLE public.invoice (\n  id bigint,\n"
        "  account_id int REFERENCES salesforce.account\n);"
    )
    assert only(sql) == Finding(
        source=Source.MIGRATIONS,
        check_id="foreign-key-added-to-mapped-table",
        name="Foreign key pointing at a mapped table",
        scope=Scope(ScopeKind.FILE, "db/migrate/V2__x.sql"),
        status=Status.RED,
        message="Adds a foreign key referencing salesforce.account(its primary key), a table Heroku Connect "
        "syncs (Account): reloads of it will fail with an IntegrityError. Worse, it points at `id`, "
        "Connect's serial: Heroku does not guarantee its values across reloads.",
        doc_url=RULES["foreign-key-added-to-mapped-table"].url,
        location=Location("db/migrate/V2__x.sql", 4, 29, 5, 1),
    )


def test_an_update_of_a_read_write_mapping_says_it_writes_to_salesforce() -> None:
    finding = only("UPDATE salesforce.account SET name = 'x';")
    assert (finding.check_id, finding.status, finding.message) == (
        "write-to-read-write-mapping",
        Status.RED,
        "Updates salesforce.account (Account), a read-write mapping: Heroku Connect captures the change and "
        "writes it to Salesforce, so this migration changes production Salesforce data.",
    )
    assert finding.location == Location("db/migrate/V2__x.sql", 1, 8, 1, 40)


def test_the_schema_comes_from_the_export_or_the_override() -> None:
    assert only("TRUNCATE crm.contact;", schema="crm").message.startswith("Truncates crm.contact (Contact)")
    assert analyse_sql("TRUNCATE crm.contact;", "x.sql", config()).findings == ()


def test_quoted_names_are_kept_and_unquoted_ones_folded() -> None:
    assert only('TRUNCATE "salesforce"."contact";').check_id == "truncate-mapped-table"
    assert only("TRUNCATE SalesForce.CONTACT;").check_id == "truncate-mapped-table"
    assert analyse_sql('TRUNCATE salesforce."Contact";', "x.sql", config()).findings == ()


@pytest.mark.parametrize(
    ("statements", "path"),
    [
        ("", ("public",)),
        ("SET search_path TO salesforce, public;", ("salesforce", "public")),
        ("SET search_path = \"$user\", 'Sales';", ("Sales",)),
        ("SET LOCAL search_path TO DEFAULT;", ("public",)),
        ("SET search_path TO app; RESET search_path;", ("public",)),
        ("SET search_path TO app; RESET ALL;", ("public",)),
        ("SELECT set_config('search_path', 'App, \"Crm\"', false);", ("app", "Crm")),
        ("SET statement_timeout = 0;", ("public",)),
    ],
)
def test_search_path_follows_the_statements_of_the_file(statements: str, path: tuple[str, ...]) -> None:
    current: tuple[str, ...] = ("public",)
    for item in parse(LineIndex(statements)):
        current = next_search_path(item.kind, item.node(), current)  # type: ignore[union-attr]
    assert current == path


def test_a_crashing_rule_becomes_an_error_finding_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(node: object, ctx: object) -> list[Problem]:
        raise KeyError("relname")

    broken = Check(RULES["truncate-mapped-table"], crash)
    monkeypatch.setitem(engine._DISPATCH, "TruncateStmt", (broken,))
    findings = analyse_sql(
        "TRUNCATE salesforce.contact; DROP TABLE salesforce.contact;", "x.sql", config()
    ).findings
    assert [(f.check_id, f.status, f.message) for f in findings] == [
        (
            "truncate-mapped-table",
            Status.ERROR,
            "Rule truncate-mapped-table crashed on this statement (KeyError: 'relname'); "
            "the statement was not checked by it.",
        ),
        (
            "mapped-table-removed",
            Status.RED,
            "Drops salesforce.contact, the table Heroku Connect syncs Contact into: the mapping stops "
            "matching the database and the sync stops.",
        ),
    ]


def test_an_inline_waiver_keeps_the_finding_with_its_reason() -> None:
    sql = (
        "-- connect-gate: ignore truncate-mapped-table because reloaded after deploy (OPS-1)\n"
        "TRUNCATE salesforce.contact;"
    )
    analysis = analyse_sql(sql, "x.sql", config())
    assert analysis.findings == ()
    assert [(w.finding.check_id, w.finding.location, w.reason) for w in analysis.waived] == [
        ("truncate-mapped-table", Location("x.sql", 2, 10, 2, 27), "reloaded after deploy (OPS-1)")
    ]


def test_every_rule_is_documented_with_a_bad_and_a_good_example() -> None:
    assert len(RULES) == 26
    for rule_id, check in RULES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule_id)
        assert check.source is Source.MIGRATIONS
        assert check.status in (Status.RED, Status.YELLOW, Status.ERROR)
        assert "Bad" in check.doc and "Good" in check.doc, rule_id
    assert all(c.find is not None for c in migration_checks.CHECKS if c.info.reads is Reads.STATEMENT)
    assert set(RULES) <= set(own_checks())


def test_the_session_search_path_can_start_elsewhere_and_reset_returns_to_it() -> None:
    sql = "UPDATE account SET name = 'a';\nSET search_path TO public;\nUPDATE account SET name = 'b';\nRESET search_path;\nDELETE FROM contact;"
    findings = analyse_sql(sql, "x.sql", config(), search_path=("public", "salesforce")).findings
    assert [(f.check_id, f.location.line if f.location else 0) for f in findings] == [
        ("write-to-read-write-mapping", 1),
        ("write-to-read-only-mapping", 5),
    ]


def test_migration_rule_ids_and_titles_are_not_used_by_any_other_source() -> None:
    others = [c.info for c in (*gate.CHECKS, *database_checks.CHECKS)]
    assert not set(RULES) & {check.id for check in others}
    assert not {c.title.lower() for c in RULES.values()} & {c.title.lower() for c in others}
    assert not {c.title.lower() for c in RULES.values()} & {k.display_name.lower() for k in KNOWN_CHECKS}
