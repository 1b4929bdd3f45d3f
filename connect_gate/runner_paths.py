"""Where the reports land, as the job's next step sees them.

As a Docker container action, the gate runs in a container that the runner starts with the checkout
mounted at `/github/workspace` (the working directory) and its temporary folder (`runner.temp`) at
`/github/runner_temp`, and it rewrites host paths in inputs into those container paths
(ContainerActionHandler.cs in https://github.com/actions/runner). The steps after it run on the host:

- a report folder in the checkout is given to them relative to the workspace;
- one under `runner.temp` is given as the host folder the runner mounted: the runner keeps its temporary
  folder beside the job's workspace folder, `RUNNER_WORKSPACE/../_temp` (HostContext.cs: `_work/_temp`
  next to `_work/REPO`), and leaves `RUNNER_WORKSPACE` untranslated;
- anywhere else in the container vanishes with it, so it is refused (exit status 2).

Outside a container, paths in the workspace are relative to it and other paths are kept as given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePosixPath

from connect_gate.errors import InputError
from connect_gate.settings import Runner

CONTAINER_WORKSPACE = PurePosixPath("/github/workspace")
# The container's mounts of the runner's temporary folder and of folders inside it.
CONTAINER_TEMP_MOUNTS = {
    PurePosixPath("/github/runner_temp"): PurePosixPath("."),
    PurePosixPath("/github/home"): PurePosixPath("_github_home"),
    PurePosixPath("/github/workflow"): PurePosixPath("_github_workflow"),
    PurePosixPath("/github/file_commands"): PurePosixPath("_runner_file_commands"),
}


@dataclass(frozen=True, slots=True)
class ReportDir:
    write: str  # where this process writes the reports
    shown: str  # how the next step of the job finds them (the `*-path` outputs, the summary)


def report_dir(value: str, runner: Runner, cwd: str) -> ReportDir:
    """Place the `report-dir` input; raises InputError when the next step could not read it."""
    if not runner.workspace:
        return ReportDir(value, value)
    absolute = PurePosixPath(os.path.normpath(os.path.join(cwd, value)))
    workspace = PurePosixPath(os.path.normpath(runner.workspace))
    if absolute.is_relative_to(workspace):
        return ReportDir(value, absolute.relative_to(workspace).as_posix())
    if workspace != CONTAINER_WORKSPACE:  # not in the Docker action: the path is the host's
        return ReportDir(value, value)
    for mount, inside_temp in CONTAINER_TEMP_MOUNTS.items():
        if absolute.is_relative_to(mount):
            host_temp = _host_temp(runner, value)
            return ReportDir(value, str(host_temp / inside_temp / absolute.relative_to(mount)))
    raise InputError(
        f"report-dir: {value!r} is outside the workspace and runner.temp, the only folders the runner "
        "shares with the action's container: reports written there vanish with it. Use a folder in the "
        "checkout (the default, connect-gate-report) or under ${{ runner.temp }}."
    )


def _host_temp(runner: Runner, value: str) -> PurePosixPath:
    jobs = PurePosixPath(runner.runner_workspace)
    if not jobs.is_absolute() or jobs.is_relative_to("/github"):
        raise InputError(
            f"report-dir: {value!r} is in runner.temp, but RUNNER_WORKSPACE does not tell where the runner "
            "keeps that folder on the host; use a folder in the checkout (the default, connect-gate-report)."
        )
    return jobs.parent / "_temp"
