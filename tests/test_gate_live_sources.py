"""Live diagnostics feeding the other sources: the connection's own export and its database URL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest_pg import Database
from fake_heroku import (
    API_KEY,
    FakeHeroku,
    Fault,
    seed_connection,
)
from helpers import EXAMPLES, run_entrypoint
from runner_sim import parse_log
from test_runner_contract import action_env

SEED = "protected-ridge-4963"
EXPORT = json.loads((EXAMPLES / "connect-export.json").read_text())


def live_env(fake: FakeHeroku, workspace: Path, **inputs: str) -> dict[str, str]:
    env = action_env(workspace, app=SEED, **inputs)
    env.update(HEROKU_API_KEY=API_KEY, CONNECT_DISCOVERY_SERVER=fake.url, HEROKU_API_URL=fake.url)
    return env


def test_without_an_export_file_the_migrations_are_judged_against_the_live_configuration(
    fake: FakeHeroku, tmp_path: Path
) -> None:
    fake.add_connection(seed_connection(export=EXPORT))
    shutil.copytree(EXAMPLES / "migrations" / "risky", tmp_path / "db" / "migrations")
    result = run_entrypoint([], live_env(fake, tmp_path, **{"changed-only": "false"}), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    errors = parse_log(result.stdout).named("error")
    assert sorted(e.properties.get("file", "") for e in errors) == [
        "",  # Unique Identifier, from the diagnostics
        "db/migrations/V2__link_invoices_to_accounts.sql",
        "db/migrations/V2__link_invoices_to_accounts.sql",
    ]
    assert sum(1 for r in fake.requests if r.path.endswith("/actions/export")) == 1


def test_database_url_from_app_reads_the_db_key_config_var_and_masks_it(
    fake: FakeHeroku, seeded_db: Database, tmp_path: Path
) -> None:
    fake.add_connection(seed_connection(export=EXPORT))
    fake.config_vars[SEED] = {"DATABASE_URL": seeded_db.url, "OTHER": "x"}
    seeded_db.execute("ALTER TABLE salesforce.contact DISABLE TRIGGER hc_contact_logtrigger")
    env = live_env(fake, tmp_path, **{"database-url": "from-app", "migrations": "none"})
    result = run_entrypoint([], env, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    log = parse_log(result.stdout)
    masks = {c.message for c in log.named("add-mask")}
    assert seeded_db.server.password in masks
    assert seeded_db.server.password not in "\n".join(log.text) + result.stderr
    text = "\n".join(log.text)
    assert "=== Contact (database checks)" not in text  # Contact has no diagnostics section: own title
    contact = text.split("=== Contact\n", 1)[1]
    assert contact.startswith("RED: Connect trigger missing or disabled → block")
    assert fake.count("GET", f"/apps/{SEED}/config-vars") == 1


def test_a_heroku_message_in_an_error_cannot_become_a_command(fake: FakeHeroku, tmp_path: Path) -> None:
    body = json.dumps({"id": "forbidden", "message": "no access\n::add-mask::leak\n  ::error::forged"})
    fake.script("GET", "/connections", Fault.http(403, body))
    result = run_entrypoint([], live_env(fake, tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    for stream in (result.stdout, result.stderr):
        commands = parse_log(stream).commands
        assert {c.name for c in commands} <= {"add-mask", "error", "group", "endgroup"}
        assert [c.message for c in commands if c.name == "add-mask"] == [API_KEY] * (stream is result.stdout)
        assert all(c.properties.get("title") == "connect-gate: error" for c in commands if c.name == "error")
    assert "> ::add-mask::leak" in result.stderr
