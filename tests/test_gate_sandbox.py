"""The sandbox end to end, as the example workflows run it: seed --record, migrate, the action, cleanup."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest_sandbox import Sandbox, alembic_revision
from helpers import EXAMPLES, run_entrypoint
from runner_sim import parse_log, parse_outputs
from test_runner_contract import action_env


def checkout(root: Path) -> None:
    shutil.copy(EXAMPLES / "connect-export.json", root / "connect-export.json")
    alembic_revision(
        root,
        "a1",
        None,
        """
        op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True), sa.Column("total", sa.Numeric))
        """,
    )


def seed(sandbox: Sandbox, root: Path, *args: str) -> None:
    result = run_entrypoint(
        ["seed", "--mapping-config", "connect-export.json", *args], {"DATABASE_URL": sandbox.url}, cwd=root
    )
    assert result.returncode == 0, result.stderr


def gate(sandbox: Sandbox, root: Path) -> tuple[int, str, str]:
    env = action_env(
        root, **{"mapping-config": "connect-export.json", "sandbox-url": sandbox.url, "migrations": "none"}
    )
    result = run_entrypoint([], env, cwd=root)
    return result.returncode, result.stdout, result.stderr


def test_a_data_migration_in_alembic_blocks_with_an_annotation_on_its_file(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    checkout(tmp_path)
    seed(sandbox, tmp_path, "--record")
    alembic_revision(
        tmp_path, "b2", "a1", """op.execute("UPDATE salesforce.account SET industry = 'Retail'")"""
    )
    sandbox.execute("INSERT INTO salesforce.account (name) VALUES ('Acme')")  # an earlier data load
    sandbox.alembic_upgrade(tmp_path)

    status, stdout, stderr = gate(sandbox, tmp_path)

    assert status == 1, stdout + stderr
    log = parse_log(stdout)
    password = sandbox.url.split(":")[2].split("@")[0]  # as written in the URL (percent-encoded)
    masks = {command.message for command in log.named("add-mask")}
    assert {sandbox.url, "ci-pw@:/% x", password} <= masks
    printed = [
        line for line in stdout.splitlines() + stderr.splitlines() if not line.startswith("::add-mask::")
    ]
    assert not [line for line in printed if "ci-pw" in line]
    errors = [
        (e.properties.get("file"), e.properties.get("line"), e.properties["title"])
        for e in log.named("error")
    ]
    assert errors == [  # findings with a file and line first: they get the runner's 10 slots first
        (
            "alembic/versions/b2_migration.py",
            "9",
            "RED: Data change pushed to Salesforce (alembic/versions/b2_migration.py)",
        ),
        (None, None, "RED: Data change pushed to Salesforce (sandbox)"),  # the INSERT, from no file
        (None, None, "RED: Rows queued for Salesforce (Account)"),
    ]
    assert (
        "connect-gate: sandbox: 4 distinct statement(s) recorded (8 command(s)), 2 with findings, 1 of them "
        "traced to a migration file; database checks run on the end state"
    ) in log.text
    results = json.loads((tmp_path / "connect-gate-report" / "results.json").read_text())
    assert {f["source"] for f in results["findings"]} == {"migrations", "database"}
    assert parse_outputs((tmp_path / "output.txt").read_text())["verdict"] == "block"


def test_a_harmless_migration_passes_and_cleanup_removes_the_recorder(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    checkout(tmp_path)
    seed(sandbox, tmp_path, "--record")
    sandbox.alembic_upgrade(tmp_path)

    status, stdout, stderr = gate(sandbox, tmp_path)

    assert (status, stderr) == (0, ""), stdout
    assert parse_outputs((tmp_path / "output.txt").read_text())["verdict"] == "pass"
    seed(sandbox, tmp_path, "--cleanup")
    status, _stdout, stderr = gate(sandbox, tmp_path)
    assert status == 2
    assert stderr == (
        f"connect-gate: error: sandbox-url: {sandbox.url.split(':')[0]}://{sandbox.url.split('//')[1].split(':')[0]}"
        f":***@127.0.0.1:{sandbox.database.server.port}/{sandbox.database.name} has no recorder (schema "
        "connect_gate_recorder): run `connect-gate seed --record` on it before the migrations\n"
    )
