"""End to end: `python entrypoint.py` in a subprocess, live against the fake Heroku server."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from fake_heroku import (
    API_KEY,
    FakeConnection,
    FakeHeroku,
    FakeMapping,
    FakeReviewApp,
    Fault,
    seed_connection,
)
from helpers import run_entrypoint
from runner_sim import parse_log, parse_outputs

SEED = "protected-ridge-4963"

# `heroku connect:diagnose --verbose` of the seed connection, as the blog post prints it.
SEED_LINES = """\
=== Connection: protected-ridge-4963
YELLOW: Salesforce API Version
YELLOW: View/Modify All Data
GREEN: Number of Mappings
GREEN: Database Plan
GREEN: Heroku Postgres
GREEN: Data Locality
GREEN: Configured Logging
=== Account
RED: Unique Identifier
GREEN: Binary Fields
GREEN: Calculated Fields
GREEN: Number of Fields
GREEN: Number of Large Text Area Fields
GREEN: Required Fields
GREEN: Salesforce Field Changes
GREEN: Database Field Changes
GREEN: IsArchived Field
GREEN: Polymorphic External ID
GREEN: Maximum Record Size
GREEN: Query Size
GREEN: sObject Is Not Supported by the Bulk API
SKIPPED: Synthetic Fields
SKIPPED: Synthetic Field/Unique Identifier Field Agreement""".splitlines()

STATUS_LINE = re.compile(r"^(=== .*|(RED|YELLOW|GREEN|SKIPPED|ERROR): .*?)(?: → \w+)?$")


def gate(fake: FakeHeroku, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in an empty checkout (no migration files), against the fake Heroku."""
    base = {"HEROKU_API_KEY": API_KEY, "CONNECT_DISCOVERY_SERVER": fake.url, "HEROKU_API_URL": fake.url}
    with tempfile.TemporaryDirectory() as checkout:
        return run_entrypoint([*args], {**base, **(env or {})}, cwd=Path(checkout))


def status_lines(stdout: str) -> list[str]:
    return [m.group(1) for line in stdout.splitlines() if (m := STATUS_LINE.match(line))]


def policy(tmp_path: Path, text: str) -> str:
    path = tmp_path / "policy.yml"
    path.write_text(text)
    return str(path)


def test_the_seed_connection_gives_the_seed_lines_and_blocks(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_connection(seed_connection())
    run = gate(fake, "--app", SEED, "--verbose", "--report-dir", str(tmp_path))
    assert run.returncode == 1, run.stderr
    # exactly the seed's lines, then our own checks of the connection in a section of their own
    assert status_lines(run.stdout) == [
        *SEED_LINES,
        "=== Connection: protected-ridge-4963 (connect-gate connection checks)",
        "GREEN: Write errors (last 24 h)",
    ]
    assert "RED: Unique Identifier → block" in run.stdout.splitlines()
    assert run.stdout.splitlines()[-2] == (
        "connect-gate: BLOCKED: 1 finding blocks (23 checks: 1 block, 2 warn, 0 waived, 18 pass, 2 skipped)"
    )


def test_a_policy_waiving_unique_identifier_passes(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_connection(seed_connection())
    waiver = policy(
        tmp_path,
        "version: 1\nwaivers:\n  - check: Unique Identifier\n    mapping: Account\n"
        "    reason: External ID field ships with JIRA-123\n",
    )
    run = gate(fake, "--app", SEED, "--policy", waiver, "--report-dir", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "RED: Unique Identifier → waived" in run.stdout.splitlines()


def test_a_policy_blocking_the_api_version_blocks_on_the_yellow(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_connection(seed_connection())
    strict = policy(
        tmp_path,
        "version: 1\nchecks:\n  - check: MUST_USE_RECENT_API_VERSION\n    action: block\n"
        "waivers:\n  - check: Unique Identifier\n    mapping: Account\n    reason: JIRA-123\n",
    )
    run = gate(fake, "--app", SEED, "--policy", strict, "--report-dir", str(tmp_path))
    assert run.returncode == 1
    assert "YELLOW: Salesforce API Version → block" in run.stdout.splitlines()


def test_the_prs_review_app_is_found_from_the_pull_request_event(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_review_app("shop", FakeReviewApp(12, "feature", SEED))
    fake.add_connection(seed_connection())
    event = tmp_path / "event.json"
    event.write_text('{"pull_request": {"number": 12, "head": {"ref": "feature"}}}')
    run = gate(
        fake, "--pipeline", "shop", "--report-dir", str(tmp_path), env={"GITHUB_EVENT_PATH": str(event)}
    )
    assert run.returncode == 1
    assert "RED: Unique Identifier → block" in run.stdout.splitlines()


def test_an_errored_review_app_blocks_quoting_heroku(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_review_app(
        "shop", FakeReviewApp(12, "f", "shop-pr-12", timeline=[(0, "errored")], message="Postdeploy failed")
    )
    run = gate(fake, "--pipeline", "shop", "--pr-number", "12", "--report-dir", str(tmp_path))
    assert run.returncode == 1
    assert status_lines(run.stdout) == [
        "=== Connection: review app of PR #12 in pipeline shop",
        "RED: Review app",
    ]
    assert "Heroku could not create the review app (build_failed): Postdeploy failed" in run.stdout


def test_a_connection_not_configured_blocks_by_default(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_connection(seed_connection(state="NEED_AUTHENTICATION", mappings=[]))
    run = gate(fake, "--app", SEED, "--report-dir", str(tmp_path))
    assert run.returncode == 1
    assert status_lines(run.stdout) == [f"=== Connection: {SEED}", "RED: Connection not configured"]


def test_a_rejected_key_is_an_input_error_naming_the_input(fake: FakeHeroku, tmp_path: Path) -> None:
    # exit 2, not 3: a wrong or expired key is the user's to fix, and `on-error: warn` must not hide it
    run = gate(
        fake,
        "--app",
        SEED,
        "--report-dir",
        str(tmp_path),
        "--on-error",
        "warn",
        env={"HEROKU_API_KEY": "wrong-key"},
    )
    assert run.returncode == 2
    assert run.stderr == (
        "connect-gate: error: the Heroku API key was rejected (input "
        "`heroku-api-key` / HEROKU_API_KEY): GET /connections?app=protected-ridge-4963 answered 401: Invalid credentials provided.\n"
    )


def test_on_error_warn_lets_an_unreachable_heroku_pass_with_a_warning(
    fake: FakeHeroku, tmp_path: Path
) -> None:
    fake.script("GET", "/connections", Fault.http(503), times=None)
    began = time.monotonic()
    run = gate(
        fake,
        "--app",
        SEED,
        "--timeout",
        "1",
        "--on-error",
        "warn",
        "--report-dir",
        str(tmp_path),
        env={"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(tmp_path / "output.txt")},
    )
    assert time.monotonic() - began < 3
    assert run.returncode == 0
    assert parse_outputs((tmp_path / "output.txt").read_text()) == {"verdict": "error"}
    (warning,) = parse_log(run.stdout).named("warning")
    assert warning.properties == {
        "title": "connect-gate: could not reach or read the service (on-error: warn)"
    }
    assert warning.message.startswith("the Heroku Connect API is unavailable: GET /connections?app=")


def test_diagnostics_not_ready_by_the_timeout_fail_with_status_3(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_connection(seed_connection(ready_after=60))
    began = time.monotonic()
    run = gate(fake, "--app", SEED, "--timeout", "1", "--report-dir", str(tmp_path))
    assert 1 <= time.monotonic() - began < 2.5
    assert run.returncode == 3
    assert "were not ready after" in run.stderr and "(input `timeout`: 1 s)" in run.stderr


def test_no_key_is_an_input_error(fake: FakeHeroku, tmp_path: Path) -> None:
    run = gate(fake, "--app", SEED, "--report-dir", str(tmp_path), env={"HEROKU_API_KEY": ""})
    assert run.returncode == 2
    assert run.stderr == (
        "connect-gate: error: input `heroku-api-key` (INPUT_HEROKU-API-KEY, or HEROKU_API_KEY) is needed "
        "for live diagnostics (`app` or `pipeline`)\n"
    )


def test_several_connections_without_resource_is_an_input_error(fake: FakeHeroku, tmp_path: Path) -> None:
    for name in ("shop-eu", "shop-us"):
        fake.add_connection(
            FakeConnection(name, "shop", resource_name=f"hc-{name}", mappings=[FakeMapping("A")])
        )
    run = gate(fake, "--app", "shop", "--report-dir", str(tmp_path))
    assert run.returncode == 2
    assert "set input `resource` to one of them or to `all`" in run.stderr


def test_the_key_appears_nowhere_but_in_the_mask_command(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_connection(seed_connection(pending_polls=1))
    fake.script("GET", "/api/v3/validations/", Fault.http(503), times=1)
    output, summary = tmp_path / "output.txt", tmp_path / "summary.md"
    report = tmp_path / "report"
    run = gate(
        fake,
        "--app",
        SEED,
        "--verbose",
        "--report-dir",
        str(report),
        env={
            "HEROKU_API_KEY": "",
            "INPUT_HEROKU-API-KEY": API_KEY,
            "GITHUB_ACTIONS": "true",
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
        },
    )
    assert run.returncode == 1
    first, rest = run.stdout.split("\n", 1)
    assert first == f"::add-mask::{API_KEY}"
    reports = sorted(report.iterdir())
    assert {"junit.xml", "results.json", "summary.md"} <= {path.name for path in reports}
    files = [output, summary, *reports]
    for text in (rest, run.stderr, *(path.read_text() for path in files)):
        assert API_KEY not in text
    assert "::group::Heroku Connect diagnostics of protected-ridge-4963" in rest


FAULTS = {
    "429 past the deadline": (
        ("GET", "/connections", Fault.rate_limited(60)),
        "the Heroku Connect API kept refusing GET /connections?app=protected-ridge-4963 with 429 Too Many "
        "Requests (Retry-After: 60 s) for ",
    ),
    "resets": (
        ("GET", "/api/v3/connections/", Fault.reset()),
        "could not reach the Heroku Connect API at 127.0.0.1:",
    ),
    "answers cut off": (
        ("GET", "/api/v3/validations/", Fault.truncate()),
        "could not reach the Heroku Connect API at 127.0.0.1:",
    ),
    "malformed JSON": (
        ("GET", "/api/v3/validations/", Fault.garbage()),
        "the Heroku Connect API answered GET /api/v3/validations/v0-5021 with malformed JSON (200, 43 bytes",
    ),
    "503 on POST": (
        ("POST", "/validations", Fault.http(503)),
        "the Heroku Connect API is unavailable: POST /api/v3/connections/",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_every_fault_exits_3_with_its_message_within_the_timeout(
    fake: FakeHeroku, tmp_path: Path, fault: str
) -> None:
    (method, path, answer), message = FAULTS[fault]
    fake.add_connection(seed_connection())
    fake.script(method, path, answer, times=None)
    began = time.monotonic()
    run = gate(fake, "--app", SEED, "--timeout", "1", "--report-dir", str(tmp_path))
    assert time.monotonic() - began < 2.5  # the 1 s deadline plus the interpreter's start
    assert run.returncode == 3
    prefix = "connect-gate: could not reach or read the service: "
    assert run.stderr.startswith(prefix + message), run.stderr
    assert run.stdout.count("\n") <= 12  # progress lines only: no verdict, no reports
    assert not (tmp_path / "junit.xml").exists()


def test_a_policy_may_let_not_configured_warn(fake: FakeHeroku, tmp_path: Path) -> None:
    fake.add_connection(seed_connection(state="NEW", mappings=[]))
    lenient = policy(
        tmp_path, "version: 1\nchecks:\n  - check: connection-not-configured\n    action: warn\n"
    )
    run = gate(fake, "--app", SEED, "--policy", lenient, "--report-dir", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "RED: Connection not configured → warn" in run.stdout.splitlines()
