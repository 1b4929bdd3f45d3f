"""The workflow's event payload (GITHUB_EVENT_PATH): what a pull request run knows about its PR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connect_gate.document import parse_json, read_text
from connect_gate.errors import InputError

EVENT_SIZE_LIMIT = 32 * 1024 * 1024  # bytes; GitHub's payloads are far smaller


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int | None = None
    head_ref: str = ""  # the branch
    head_sha: str = ""  # the pull request's last commit (GITHUB_SHA is a merge commit)
    base_sha: str = ""


def pull_request(event_path: str) -> PullRequest:
    """The pull request of the event, or an empty one when the run is not for a pull request."""
    if not event_path:
        return PullRequest()
    try:  # never a FIFO or a device, never more than the limit: both are input errors
        text = read_text(event_path, "the workflow's event (GITHUB_EVENT_PATH)", EVENT_SIZE_LIMIT)
    except InputError as exc:
        if "not found" in str(exc):  # no event: a run that is not for a pull request
            return PullRequest()
        raise
    try:
        event: Any = parse_json(text)
    except ValueError:  # not JSON: not a pull request's event
        return PullRequest()
    pr = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pr, dict):
        return PullRequest()
    number = pr.get("number")
    head, base = pr.get("head"), pr.get("base")
    head = head if isinstance(head, dict) else {}
    base = base if isinstance(base, dict) else {}
    return PullRequest(
        number=number if isinstance(number, int) else None,
        head_ref=str(head.get("ref") or ""),
        head_sha=str(head.get("sha") or ""),
        base_sha=str(base.get("sha") or ""),
    )
