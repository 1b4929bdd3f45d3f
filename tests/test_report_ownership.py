"""Reports written as root belong to the owner of the folder they are in (the runner's user, uid 1001)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import ROOT, run_entrypoint

RUNNER_UID = 1001
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="only root can give files away (CI runs as root)")


def test_new_report_folders_and_files_take_the_workspace_owner(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    os.chown(workspace, RUNNER_UID, RUNNER_UID)
    done = run_entrypoint(
        [
            "--results-file",
            str(ROOT / "examples/diagnostics/protected-ridge-4963.json"),
            "--report-dir",
            "out/gate",
        ],
        env={"GITHUB_WORKSPACE": str(workspace)},
        cwd=workspace,
    )
    assert done.returncode == 1, done.stderr
    written = [workspace / "out", *sorted((workspace / "out").rglob("*"))]
    assert [p.relative_to(workspace).as_posix() for p in written] == [
        "out",
        "out/gate",
        "out/gate/junit.xml",
        "out/gate/results.json",
        "out/gate/results.sarif",
        "out/gate/summary.md",
    ]
    assert {(p.stat().st_uid, p.stat().st_gid) for p in written} == {(RUNNER_UID, RUNNER_UID)}
