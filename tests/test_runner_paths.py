"""Where the reports land as the next step sees them (the `*-path` outputs), inside and outside a container."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ROOT, run_entrypoint
from runner_sim import parse_log

from connect_gate.errors import InputError
from connect_gate.runner_paths import ReportDir, report_dir
from connect_gate.settings import Runner

IN_CONTAINER = Runner(actions=True, workspace="/github/workspace", runner_workspace="/home/runner/work/app")
ON_HOST = Runner(
    actions=True, workspace="/home/runner/work/app/app", runner_workspace="/home/runner/work/app"
)


@pytest.mark.parametrize(
    ("value", "runner", "cwd", "expected"),
    [
        # The checkout: relative to the workspace, whatever the input's spelling.
        (
            "connect-gate-report",
            IN_CONTAINER,
            "/github/workspace",
            ReportDir("connect-gate-report", "connect-gate-report"),
        ),
        (
            "/github/workspace/out/gate",
            IN_CONTAINER,
            "/github/workspace",
            ReportDir("/github/workspace/out/gate", "out/gate"),
        ),
        ("./a/../reports", IN_CONTAINER, "/github/workspace", ReportDir("./a/../reports", "reports")),
        # runner.temp (translated by the runner to /github/runner_temp): the host folder it mounted.
        (
            "/github/runner_temp/gate",
            IN_CONTAINER,
            "/github/workspace",
            ReportDir("/github/runner_temp/gate", "/home/runner/work/_temp/gate"),
        ),
        (
            "/github/home/gate",
            IN_CONTAINER,
            "/github/workspace",
            ReportDir("/github/home/gate", "/home/runner/work/_temp/_github_home/gate"),
        ),
        # On the host (not a container): the workspace is relative, anything else is a real host path.
        (
            "/home/runner/work/app/app/r",
            ON_HOST,
            "/home/runner/work/app/app",
            ReportDir("/home/runner/work/app/app/r", "r"),
        ),
        (
            "/home/runner/work/_temp/gate",
            ON_HOST,
            "/home/runner/work/app/app",
            ReportDir("/home/runner/work/_temp/gate", "/home/runner/work/_temp/gate"),
        ),
        # Outside GitHub Actions: as given.
        ("connect-gate-report", Runner(), "/src", ReportDir("connect-gate-report", "connect-gate-report")),
        ("/tmp/r", Runner(), "/src", ReportDir("/tmp/r", "/tmp/r")),
    ],
)
def test_report_dir_as_the_next_step_sees_it(
    value: str, runner: Runner, cwd: str, expected: ReportDir
) -> None:
    assert report_dir(value, runner, cwd) == expected


def test_a_folder_that_vanishes_with_the_container_is_refused() -> None:
    with pytest.raises(InputError) as refused:
        report_dir("/tmp/gate", IN_CONTAINER, "/github/workspace")
    assert str(refused.value) == (
        "report-dir: '/tmp/gate' is outside the workspace and runner.temp, the only folders the runner shares "
        "with the action's container: reports written there vanish with it. Use a folder in the checkout "
        "(the default, connect-gate-report) or under ${{ runner.temp }}."
    )


def test_runner_temp_without_runner_workspace_is_refused() -> None:
    runner = Runner(actions=True, workspace="/github/workspace")
    with pytest.raises(
        InputError, match=r"^report-dir: '/github/runner_temp/x' is in runner.temp, but RUNNER_WORKSPACE"
    ):
        report_dir("/github/runner_temp/x", runner, "/github/workspace")


def test_a_report_dir_outside_the_containers_mounts_is_exit_2_naming_the_input(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({}))
    done = run_entrypoint(
        [
            "--results-file",
            str(ROOT / "examples/diagnostics/protected-ridge-4963.json"),
            "--report-dir",
            str(tmp_path / "r"),
        ],
        env={
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": "/github/workspace",
            "GITHUB_EVENT_PATH": str(event),
        },
    )
    assert done.returncode == 2
    errors = parse_log(done.stdout).named("error")
    assert len(errors) == 1 and errors[0].message.startswith(f"report-dir: '{tmp_path / 'r'}' is outside")
    assert not (tmp_path / "r").exists()
    assert "Traceback" not in done.stderr
