"""Where the gate publishes on GitHub: the repository, the commit, the pull request, the run's page."""

from __future__ import annotations

from dataclasses import dataclass

from connect_gate.event import pull_request
from connect_gate.settings import Runner


@dataclass(frozen=True, slots=True)
class Target:
    repository: str  # owner/name
    head_sha: str  # the pull request's head commit, else the pushed commit
    pr_number: int | None
    run_url: str  # the workflow run's page, where the report artifact is; "" outside Actions


def target_of(runner: Runner) -> Target | None:
    """The commit to put the check run on: a pull request's head (GITHUB_SHA is a merge commit
    there), else GITHUB_SHA; None when the runner names no repository or commit."""
    pr = pull_request(runner.event_path)
    sha = pr.head_sha or runner.sha
    if not runner.repository or not sha:
        return None
    run_url = ""
    if runner.server_url and runner.run_id:
        run_url = f"{runner.server_url.rstrip('/')}/{runner.repository}/actions/runs/{runner.run_id}"
    return Target(runner.repository, sha, pr.number, run_url)
