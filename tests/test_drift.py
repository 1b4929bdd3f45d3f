"""Heroku's "Database Field Changes" says that a mapped table drifted; the gate adds what drifted.

End to end through entrypoint.py: saved diagnostics with the drift warning, and the migration
files or the review app's database (a real PostgreSQL, tests/conftest_pg.py) that explain it.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from conftest_pg import Database
from helpers import EXAMPLES, run_entrypoint

from connect_gate.drift import HEADER, attach_drift
from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status
from connect_gate.mapping_config import load_export

EXPORT = str(EXAMPLES / "connect-export.json")
DRIFT = {"display_name": "Database Field Changes", "message": "The database schema differs from the mapping."}


def _diagnostics(tmp_path: Path, mappings: dict[str, Any]) -> str:
    path = tmp_path / "review-app.json"
    path.write_text(json.dumps({"passes": [], "mappings": mappings}), encoding="utf-8")
    return str(path)


def _findings(tmp_path: Path, name: str) -> dict[str, str]:
    """The message of each finding of check `name`, by mapping, as results.json has it."""
    results = json.loads((tmp_path / "connect-gate-report" / "results.json").read_text(encoding="utf-8"))
    return {f["scope"]["name"]: f["message"] for f in results["findings"] if f["name"] == name}


def test_a_migration_that_drops_a_mapped_column_is_named_under_heroku_s_warning(tmp_path: Path) -> None:
    migrations = tmp_path / "db"
    migrations.mkdir()
    (migrations / "V3__trim_account.sql").write_text(
        "-- the app no longer shows the industry\nALTER TABLE salesforce.account DROP COLUMN industry;\n",
        encoding="utf-8",
    )
    results = _diagnostics(
        tmp_path,
        {
            "Account": {"warnings": [DRIFT]},
            "Contact": {"warnings": [DRIFT]},  # drifted too, but nothing of ours is about contact
        },
    )
    args = ["--results-file", results, "--mapping-config", EXPORT, "--migrations", "db/*.sql"]
    result = run_entrypoint(args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    pointer = (
        "- mapped-column-changed at db/V3__trim_account.sql:2:13: Drops mapped column industry of "
        "salesforce.account (Account): the mapping no longer matches the table and Heroku Connect stops "
        "syncing it."
    )
    account = result.stdout.split("=== Account\n", 1)[1].split("===", 1)[0]
    assert account == (
        "YELLOW: Database Field Changes → warn\n"
        "The database schema differs from the mapping.\n"
        f"{HEADER}\n{pointer}\n"
        "Check: Database Field Changes (run `connect-gate explain 'Database Field Changes'`)\n"
        "How to fix: Revert the migration that changed the mapped table, or update the mapping to match "
        "the new schema; change mapped tables only by editing the mapping.\n"
        "Decision: YELLOW warns by default (the built-in default policy)\n"
    )
    assert _findings(tmp_path, "Database Field Changes") == {
        "Account": f"The database schema differs from the mapping.\n{HEADER}\n{pointer}",
        "Contact": "The database schema differs from the mapping.",
    }
    summary = (tmp_path / "connect-gate-report" / "summary.md").read_text(encoding="utf-8")
    assert f"{HEADER}<br>- mapped-column-changed at db/V3__trim_account.sql:2:13" in summary

    # The results file given back (another policy, no migrations) keeps one copy of the evidence.
    again = run_entrypoint(
        ["--results-file", "connect-gate-report/results.json", "--report-dir", "second"], cwd=tmp_path
    )
    assert again.returncode == 1, again.stderr
    assert again.stdout.count(HEADER) == 1


def test_the_database_names_the_missing_column_and_the_foreign_key(
    seeded_db: Database, tmp_path: Path
) -> None:
    seeded_db.execute("ALTER TABLE salesforce.account DROP COLUMN industry")
    seeded_db.execute(
        "CREATE TABLE public.invoice (id serial PRIMARY KEY, account_id integer "
        "CONSTRAINT invoice_account_fk REFERENCES salesforce.account (id))"
    )
    results = _diagnostics(
        tmp_path,
        {
            "Account": {
                "warnings": [DRIFT, {"display_name": "Salesforce Field Changes", "message": "Changed."}]
            },
            "Contact": {"passes": [{"display_name": "Database Field Changes", "message": ""}]},
        },
    )
    args = ["--results-file", results, "--mapping-config", EXPORT, "--migrations", "none"]
    result = run_entrypoint([*args, "--database-url", seeded_db.url], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    messages = _findings(tmp_path, "Database Field Changes")
    assert messages["Contact"] == ""  # GREEN: nothing attached
    lines = messages["Account"].splitlines()
    assert lines[:2] == ["The database schema differs from the mapping.", HEADER]
    assert lines[2:] == [
        "- mapped-column-missing at Mapping: Account (review-app): salesforce.account has no column for the "
        "mapped field(s) Industry (industry)",
        "- foreign-key-into-mapped-table at Mapping: Account (review-app): foreign key invoice_account_fk on "
        "public.invoice references salesforce.account: FOREIGN KEY (account_id) REFERENCES "
        "salesforce.account(id); it references Connect's id, which is renumbered when the table is reloaded",
    ]
    # Salesforce's side: only the checks that compare the table with the mapping's fields
    assert _findings(tmp_path, "Salesforce Field Changes")["Account"].splitlines()[1:] == [HEADER, lines[2]]
    # the pointers name checks that are reported in the same section, with their full text
    account = result.stdout.split("=== Account", 1)[1]
    assert "RED: Mapped column missing → block\nsalesforce.account has no column" in account


def test_only_findings_on_the_same_table_and_of_a_related_check_are_attached() -> None:
    config = load_export(EXPORT)
    heroku = Finding(
        Source.DIAGNOSTICS,
        "Database Field Changes",
        "Database Field Changes",
        Scope(ScopeKind.MAPPING, "Account", "c"),
        Status.RED,
        "Drifted.",
    )

    def migration(check_id: str, message: str) -> Finding:
        return Finding(
            Source.MIGRATIONS,
            check_id,
            check_id,
            Scope(ScopeKind.FILE, "m.sql"),
            Status.RED,
            message,
            location=Location("m.sql", 4),
        )

    ours = [
        migration("mapped-column-changed", "Drops mapped column name of salesforce.account_history (X)"),
        migration("mapped-column-changed", "Drops mapped column name of archive.salesforce.account (X)"),
        migration("truncate-mapped-table", "Truncates salesforce.account (Account)"),  # not drift
        migration(
            "foreign-key-added-to-mapped-table", "Adds a foreign key referencing salesforce.account(id)"
        ),
    ]
    [attached, *_] = attach_drift([heroku, *ours], lambda connection: config)
    assert attached.message.splitlines() == [
        "Drifted.",
        HEADER,
        "- foreign-key-added-to-mapped-table at m.sql:4: Adds a foreign key referencing salesforce.account(id)",
    ]
    green = dataclasses.replace(heroku, status=Status.GREEN)
    assert attach_drift([green, *ours], lambda connection: config)[0] == green
