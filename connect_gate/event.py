"""The workflow's event payload (GITHUB_EVENT_PATH): what a pull request run knows about its PR."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    try:
        event: Any = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no readable event: a run that is not for a pull request
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
