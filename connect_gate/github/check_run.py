"""A check run named connect-gate on the commit: the verdict, the job summary, EVERY located finding.

A step's workflow commands show at most 10 annotations of each kind; the Checks API has no such
limit but takes at most 50 annotations per request, so the run is created with the first 50 (and
its conclusion, so the verdict shows even if a later request fails) and the rest are appended 50 at
a time (https://docs.github.com/rest/checks/runs#update-a-check-run). Requests: ceil(n / 50), at
least 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connect_gate.decide import Decision, Outcome
from connect_gate.github.client import GitHubClient, GitHubError
from connect_gate.github.report import Report
from connect_gate.github.target import Target
from connect_gate.reporters.annotations import annotation_message, annotation_title, repo_relative
from connect_gate.verdict import most_severe_first, verdict_line

CHECK_NAME = "connect-gate"
BATCH = 50  # annotations per request, the API's maximum
OUTPUT_LIMIT = 65535  # characters of `output.summary`
_LEVELS = {Outcome.BLOCK: "failure", Outcome.WARN: "warning", Outcome.WAIVED: "notice"}


@dataclass(frozen=True, slots=True)
class CheckRunPlan:
    create: dict[str, Any]  # the POST body, with the first batch
    updates: list[dict[str, Any]]  # one PATCH body per further batch


def plan_check_run(report: Report, target: Target, *, report_dir: str, workspace: str = "") -> CheckRunPlan:
    verdict = report.verdict
    annotations = annotations_of(report.decisions, workspace)
    batches = [annotations[i : i + BATCH] for i in range(0, len(annotations), BATCH)] or [[]]
    output = {
        "title": verdict_line(verdict).removeprefix("connect-gate: "),
        "summary": cut(report.summary, OUTPUT_LIMIT, pointer(report_dir, target.run_url)),
    }
    create: dict[str, Any] = {
        "name": CHECK_NAME,
        "head_sha": target.head_sha,
        "status": "completed",
        "conclusion": "failure" if verdict.blocked else "success",
        "output": {**output, "annotations": batches[0]},
    }
    if target.run_url:
        create["details_url"] = target.run_url
    updates = [{"output": {**output, "annotations": batch}} for batch in batches[1:]]
    return CheckRunPlan(create, updates)


def send_check_run(client: GitHubClient, repository: str, plan: CheckRunPlan) -> str:
    """Create the check run and append the other batches; its page's address."""
    # Sent again after a 5xx: at worst a second, identical check run, rather than none.
    created = client.request("POST", f"/repos/{repository}/check-runs", plan.create)
    if not isinstance(created.data, dict) or not isinstance(created.data.get("id"), int):
        raise GitHubError(
            f"POST /repos/{repository}/check-runs answered {created.status} without a check run id"
        )
    run_id = created.data["id"]
    for body in plan.updates:
        client.request("PATCH", f"/repos/{repository}/check-runs/{run_id}", body)
    return str(created.data.get("html_url") or "")


def annotations_of(decisions: Sequence[Decision], workspace: str = "") -> list[dict[str, Any]]:
    """One annotation per finding that has a location and blocks, warns or is waived, worst first."""
    annotations = []
    for decision in most_severe_first(decisions):
        location = decision.finding.location
        if location is None or decision.outcome not in _LEVELS:
            continue
        annotation: dict[str, Any] = {
            "path": repo_relative(location.file, workspace),
            "start_line": location.line,
            "end_line": location.end_line or location.line,
            "annotation_level": _LEVELS[decision.outcome],
            "title": annotation_title(decision),
            "message": annotation_message(decision),
        }
        if annotation["end_line"] == location.line and location.column is not None:
            annotation["start_column"] = location.column
            annotation["end_column"] = location.end_column or location.column
        annotations.append(annotation)
    return annotations


def pointer(report_dir: str, run_url: str) -> str:
    where = f"the `{report_dir}` artifact" + (f" of [this workflow run]({run_url})" if run_url else "")
    return (
        "\n\n**Cut to GitHub's limit for a check run.** "
        f"The whole summary is in the job summary and in {where}.\n"
    )


def cut(text: str, limit: int, tail: str) -> str:
    """`text` if it fits in `limit` characters; else whole lines of it, then `tail`."""
    if len(text) <= limit:
        return text
    kept = text[: limit - len(tail)]
    return kept[: kept.rfind("\n") + 1 if "\n" in kept else len(kept)] + tail
