"""The gate end to end on a pull request's migrations: only the files the PR changes, annotated."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import EXAMPLES, run_entrypoint
from runner_sim import parse_log, parse_outputs
from test_runner_contract import action_env

RISKY = "UPDATE salesforce.account SET industry = 'Retail';\n"


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def pull_request_checkout(root: Path) -> str:
    """A repository whose base commit already has a risky migration and whose PR adds another."""
    (root / "db" / "migrations").mkdir(parents=True)
    shutil.copy(EXAMPLES / "connect-export.json", root / "connect-export.json")
    (root / "db" / "migrations" / "V1__old.sql").write_text(RISKY)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    (root / "db" / "migrations" / "V2__new.sql").write_text("-- backfill\n\n" + RISKY)
    (root / "db" / "migrations" / "V3__harmless.sql").write_text("CREATE TABLE public.audit (id bigint);\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "pr")
    return base


def test_only_the_migrations_the_pull_request_adds_are_judged(tmp_path: Path) -> None:
    base = pull_request_checkout(tmp_path)
    env = action_env(tmp_path, **{"mapping-config": "connect-export.json"})
    (tmp_path / "event.json").write_text(json.dumps({"pull_request": {"number": 7, "base": {"sha": base}}}))
    result = run_entrypoint([], env, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    log = parse_log(result.stdout)
    [error] = log.named("error")
    assert error.properties["file"] == "db/migrations/V2__new.sql"
    assert (error.properties["line"], error.properties["col"]) == ("3", "8")
    assert error.properties["title"] == "RED: Data change pushed to Salesforce (db/migrations/V2__new.sql)"
    assert (
        "connect-gate: migrations: 2 file(s) changed by the pull request, 2 statement(s) analysed" in log.text
    )
    outputs = parse_outputs((tmp_path / "output.txt").read_text())
    sarif = json.loads((tmp_path / outputs["sarif-path"]).read_text())
    [result_] = sarif["runs"][0]["results"]
    assert (
        result_["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "db/migrations/V2__new.sql"
    )


def test_a_shallow_checkout_analyses_everything_and_says_why(tmp_path: Path) -> None:
    pull_request_checkout(tmp_path)
    env = action_env(tmp_path, **{"mapping-config": "connect-export.json"})
    result = run_entrypoint([], env, cwd=tmp_path)  # the event's base commit is not in this history
    assert result.returncode == 1
    log = parse_log(result.stdout)
    assert sorted(e.properties["file"] for e in log.named("error")) == [
        "db/migrations/V1__old.sql",
        "db/migrations/V2__new.sql",
    ]
    [warning] = log.named("warning")
    assert warning.properties == {"title": "connect-gate set-up"}
    assert warning.message.startswith("changed-only: the base commit 0123456789ab is not in the checkout")


def test_none_turns_the_migration_analysis_off(tmp_path: Path) -> None:
    pull_request_checkout(tmp_path)
    env = action_env(tmp_path, **{"mapping-config": "connect-export.json", "migrations": "none"})
    result = run_entrypoint([], env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("connect-gate: error: nothing to check:")


def test_without_migration_files_the_sql_parser_is_not_even_imported(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "connect-export.json", tmp_path / "connect-export.json")
    shutil.copy(EXAMPLES / "diagnostics" / "protected-ridge-4963.json", tmp_path / "d.json")
    script = (
        "import sys\n"
        "from connect_gate.cli import main\n"
        "status = main(['--results-file', 'd.json', '--mapping-config', 'connect-export.json'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'pglast' or m.endswith('.analyse'))\n"
        "print('LOADED', loaded, status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60
    )
    assert "connect-gate: migrations: 0 file(s) matching `migrations`, 0 statement(s) analysed" in done.stdout
    assert done.stdout.rstrip().endswith("LOADED [] 1"), done.stdout + done.stderr
