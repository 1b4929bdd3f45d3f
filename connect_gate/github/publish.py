"""After the reports are written: the check run and the pull request comment, when asked for.

Publishing never changes the verdict nor the exit status: whatever GitHub refuses (a fork's
read-only token, a missing permission, a rate limit lasting past the deadline) becomes a warning.
"""

from __future__ import annotations

from collections.abc import Callable

from connect_gate.clock import Clock
from connect_gate.errors import ServiceError
from connect_gate.github.check_run import plan_check_run, send_check_run
from connect_gate.github.client import GitHubClient, GitHubError
from connect_gate.github.pr_comment import Links, update_comment
from connect_gate.github.report import Report
from connect_gate.github.target import Target, target_of
from connect_gate.settings import Settings

__all__ = ["DEADLINE", "Report", "publish"]

DEADLINE = 120.0  # seconds for all of GitHub's requests, rate-limit waits included
_REFUSED = (401, 403, 404)


def publish(
    settings: Settings,
    report: Report,
    *,
    say: Callable[[str], None],
    clock: Clock | None = None,
) -> list[str]:
    """Publish to GitHub as the settings ask; the warnings for the log (nothing raised)."""
    token = settings.github_token.reveal()
    if not token:
        if settings.pr_comment != "never":
            return [
                f"`pr-comment: {settings.pr_comment}` needs `github-token` "
                "(`${{ github.token }}`): no comment"
            ]
        return []
    target = target_of(settings.runner)
    if target is None:
        return [
            "`github-token` is set, but the runner names no repository and commit "
            "(GITHUB_REPOSITORY, GITHUB_SHA): no check run"
        ]
    client = GitHubClient(token, settings.runner.api_url, DEADLINE, clock, notify=say)
    try:
        return _publish(client, settings, target, report, say)
    finally:
        client.close()


def _publish(
    client: GitHubClient, settings: Settings, target: Target, report: Report, say: Callable[[str], None]
) -> list[str]:
    warnings: list[str] = []
    links = Links(run=target.run_url)
    try:
        plan = plan_check_run(
            report, target, report_dir=settings.report_dir, workspace=settings.runner.workspace
        )
        links = Links(send_check_run(client, target.repository, plan), target.run_url)
        say(f"check run `connect-gate` on {target.head_sha[:7]}: {1 + len(plan.updates)} request(s)")
    except ServiceError as exc:
        warnings.append(_explain(exc, "create the check run", "checks: write"))
    if settings.pr_comment == "never":
        return warnings
    if target.pr_number is None:
        say(f"no pull request comment: not a pull request event (pr-comment: {settings.pr_comment})")
        return warnings
    try:
        say(update_comment(client, target, settings.pr_comment, report, links))
    except ServiceError as exc:
        warnings.append(_explain(exc, "comment on the pull request", "pull-requests: write"))
    return warnings


def _explain(exc: ServiceError, what: str, permission: str) -> str:
    text = f"could not {what}: {exc}."
    if isinstance(exc, GitHubError) and exc.status in _REFUSED:
        text += (
            f" The token may not do this: the workflow needs `permissions: {permission}`, and pull requests "
            "from forks get a read-only token."
        )
    return text + " The verdict is not affected."
