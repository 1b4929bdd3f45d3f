"""The gate end to end with the database source: entrypoint.py against a real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from conftest_pg import Database
from helpers import EXAMPLES, SEED_RESULTS, run_entrypoint
from runner_sim import parse_log, parse_outputs
from test_runner_contract import action_env


def test_a_foreign_key_into_account_blocks_next_to_the_diagnostics(
    seeded_db: Database, tmp_path: Path
) -> None:
    seeded_db.execute(
        "CREATE TABLE public.invoice (id serial PRIMARY KEY, account_id integer "
        "CONSTRAINT invoice_account_fk REFERENCES salesforce.account (id))"
    )
    env = action_env(
        tmp_path,
        **{
            "results-file": str(SEED_RESULTS),
            "mapping-config": str(EXAMPLES / "connect-export.json"),
            "database-url": seeded_db.url,
            "database-tls": "true",  # a loopback database needs no TLS even when it is required
        },
    )
    result = run_entrypoint([], env, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    log = parse_log(result.stdout)
    password = seeded_db.server.password
    [mask, *_] = log.named("add-mask")
    assert mask.message == seeded_db.url
    assert password in {c.message for c in log.named("add-mask")}
    printed = result.stdout + result.stderr + (tmp_path / "summary.md").read_text()
    printed += "".join(p.read_text() for p in (tmp_path / "connect-gate-report").iterdir())
    unmasked = printed.replace("::add-mask::", "\0")
    assert all(password not in line for line in unmasked.splitlines() if not line.startswith("\0"))
    # the database finding lands in the diagnostics' Account section, for the same connection
    text = "\n".join(log.text)
    account = text.split("=== Account\n", 1)[1]
    assert "RED: Unique Identifier → block" in account
    assert "invoice_account_fk" in account
    results = json.loads((tmp_path / "connect-gate-report" / "results.json").read_text())
    sources = {f["source"] for f in results["findings"]}
    assert sources == {"diagnostics", "database"}
    fk = [f for f in results["findings"] if f["check_id"] == "foreign-key-into-mapped-table"]
    assert [(f["status"], f["decision"], f["scope"]["name"], f["scope"]["connection"]) for f in fk] == [
        ("RED", "block", "Account", "protected-ridge-4963")
    ]
    assert parse_outputs((tmp_path / "output.txt").read_text())["status-red"] == "2"


def test_database_url_without_mapping_config_is_a_usage_error(tmp_path: Path) -> None:
    result = run_entrypoint(["--database-url", "postgres://u:s3cr3t-pw@127.0.0.1:1/db"], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "connect-gate: error: `database-url` needs `mapping-config`: the JSON file `heroku connect:export` "
        "writes, which says what Heroku Connect syncs (with live diagnostics of one connection, the "
        "connection's own configuration is used)\n"
    )


def test_an_unreachable_database_is_exit_3_and_never_shows_the_password(tmp_path: Path) -> None:
    args = [
        "--mapping-config",
        str(EXAMPLES / "connect-export.json"),
        "--database-url",
        "postgres://gate:s3cr3t-pw@127.0.0.1:9/review",
    ]
    result = run_entrypoint(args, cwd=tmp_path)
    assert result.returncode == 3
    assert "s3cr3t-pw" not in result.stdout + result.stderr
    assert result.stderr.startswith("connect-gate: could not reach or read the service: ")
    assert "postgres://gate:***@127.0.0.1:9/review" in result.stderr
