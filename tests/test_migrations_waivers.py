"""Inline waivers are read only from real SQL comments; near misses are reported, not ignored."""

from __future__ import annotations

from pathlib import Path

from connect_gate.mapping_config import MappingConfig, load_export
from connect_gate.migrations.analyse import Analysis, analyse_sql

CORPUS = Path(__file__).resolve().parent / "migrations_corpus"


def config() -> MappingConfig:
    return load_export(CORPUS / "connect-export.json")


def rows(analysis: Analysis) -> list[tuple[int, str, str]]:
    found = [(f.location.line if f.location else 0, f.check_id, "") for f in analysis.findings]
    found += [
        (w.finding.location.line if w.finding.location else 0, w.finding.check_id, "waived")
        for w in analysis.waived
    ]
    return sorted(found)


def test_a_waiver_inside_a_string_or_a_dollar_quoted_body_waives_nothing() -> None:
    sql = (
        "SELECT '-- connect-gate: ignore-file truncate-mapped-table because in a string';\n"
        "DO $$ BEGIN RAISE NOTICE '%', 1; END $$; -- ordinary comment\n"
        "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$\n"
        "  SELECT '-- connect-gate: ignore truncate-mapped-table because in a body'\n"
        "$body$;\n"
        "TRUNCATE salesforce.contact;\n"
    )
    assert rows(analyse_sql(sql, "x.sql", config())) == [(6, "truncate-mapped-table", "")]


def test_near_miss_waivers_are_reported_as_malformed() -> None:
    sql = (
        "-- connect-gate ignore truncate-mapped-table because no colon\n"
        "/* connect-gate: ignore truncate-mapped-table because block comment */\n"
        "TRUNCATE salesforce.contact;\n"
        "-- this file was checked by connect-gate\n"
    )
    analysis = analyse_sql(sql, "x.sql", config())
    assert rows(analysis) == [
        (1, "malformed-sql-waiver", ""),
        (2, "malformed-sql-waiver", ""),
        (3, "truncate-mapped-table", ""),
    ]
    assert next(f.message for f in analysis.findings if f.check_id == "malformed-sql-waiver") == (
        "This comment is not read as a waiver; write it as "
        "`-- connect-gate: ignore <rule> because <reason>` (or `ignore-file`)."
    )


def test_unused_sql_waiver_can_be_named_in_a_waiver_and_waives_unused_waivers() -> None:
    sql = (
        "-- connect-gate: ignore-file unused-sql-waiver because the same header goes on every migration\n"
        "-- connect-gate: ignore-file truncate-mapped-table because contact is reloaded after deploy\n"
        "SELECT 1;\n"
    )
    assert rows(analyse_sql(sql, "x.sql", config())) == [(2, "unused-sql-waiver", "waived")]
