"""Finding the pull request's review app through the Heroku Platform API.

Routes and identifiers as Heroku's published schema has them (https://api.heroku.com/schema,
https://devcenter.heroku.com/articles/platform-api-reference): `GET /pipelines/{id_or_name}`
turns the `pipeline` input (a name or an id) into the pipeline's id, and
`GET /pipelines/{pipeline_id}/review-apps`, which takes the id only, lists its review apps (paged
with `Range` / `Next-Range`, 206 while more follow). The PR's app is found by `pr_number`, else by
`branch`; while it is pending or creating we wait (within `review-app-timeout`); an errored
review app becomes a blocking finding that quotes Heroku's message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from connect_gate.errors import InputError, ServiceError
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import ReviewApp, text
from connect_gate.heroku.session import HerokuSession, NotFoundError
from connect_gate.heroku.validations import PollPlan
from connect_gate.workflow import Progress

PLATFORM_URL = "https://api.heroku.com"
PLATFORM_ACCEPT = "application/vnd.heroku+json; version=3"
PAGE_SIZE = 200
WAITING = frozenset({"pending", "creating"})
GONE = frozenset({"deleting", "deleted"})
REVIEW_APP_POLLING = PollPlan(first=2.0, factor=1.5, cap=10.0)  # builds take minutes
NOT_LISTED_GRACE = 60.0  # seconds: Heroku lists a new PR's review app a little after the PR opens


def pipeline_id(session: HerokuSession, base: str, pipeline: str, deadline: Deadline) -> str:
    """The id of the pipeline named by `pipeline`, which is its name or its id."""
    url = f"{base.rstrip('/')}/pipelines/{quote(pipeline, safe='')}"
    answer = session.get(url, f"pipeline `{pipeline}`", deadline)
    return text(answer.data, "id", f"GET /pipelines/{pipeline}")


def review_apps(session: HerokuSession, base: str, pipeline_id: str, deadline: Deadline) -> list[ReviewApp]:
    """Every review app of the pipeline (by id), following `Next-Range` through the pages."""
    url = f"{base.rstrip('/')}/pipelines/{quote(pipeline_id, safe='')}/review-apps"
    page_range, apps = f"id ..; max={PAGE_SIZE}", []
    while True:
        answer = session.get(
            url, f"review apps of pipeline `{pipeline_id}`", deadline, headers={"Range": page_range}
        )
        if not isinstance(answer.data, list) or not all(isinstance(item, dict) for item in answer.data):
            raise ServiceError(f"the Heroku Platform API answered GET {url} without a list of review apps")
        apps += [_review_app(item, url) for item in answer.data]
        next_range = answer.headers.get("Next-Range")
        if answer.status != 206 or not next_range:
            return apps
        page_range = next_range


def pick(apps: list[ReviewApp], pr_number: int | None, branch: str) -> ReviewApp | None:
    """The PR's review app (the latest if several), else the branch's; deleted ones do not count."""
    live = sorted((a for a in apps if a.status not in GONE), key=lambda a: a.updated_at)
    by_pr = [a for a in live if pr_number is not None and a.pr_number == pr_number]
    by_branch = [a for a in live if branch and a.branch == branch]
    chosen = by_pr or by_branch
    return chosen[-1] if chosen else None


def wait_for_review_app(
    session: HerokuSession,
    base: str,
    pipeline: str,
    *,
    pr_number: int | None,
    branch: str,
    deadline: Deadline,
    progress: Progress,
    plan: PollPlan = REVIEW_APP_POLLING,
) -> ReviewApp:
    """The review app once created or errored; waits while it is pending or creating."""
    if pr_number is None and not branch:
        raise InputError(
            "input `pipeline` needs `pr-number` (default: the pull request of the event) or `branch`"
        )
    wanted = " or ".join(
        p for p in (f"PR #{pr_number}" if pr_number is not None else "", branch and f"branch `{branch}`") if p
    )
    interval, begun = plan.first, deadline.clock.monotonic()
    with progress.group(f"Review app for {wanted} in pipeline {pipeline}"):
        identifier = pipeline_id(session, base, pipeline, deadline)
        while True:
            apps = review_apps(session, base, identifier, deadline)
            found = pick(apps, pr_number, branch)
            waited = deadline.clock.monotonic() - begun
            if found is None and (waited >= NOT_LISTED_GRACE or deadline.remaining() <= 0):
                raise NotFoundError(
                    f"no review app for {wanted} in pipeline `{pipeline}` after {waited:.0f} s "
                    f"({_listing(apps)}); check inputs `pipeline`, `pr-number` and `branch`, and that "
                    "review apps are enabled"
                )
            if found is not None and found.status not in WAITING:
                progress.line(f"review app {found.label}: {found.status}")
                return found
            if found is not None and deadline.remaining() <= 0:
                raise ServiceError(
                    f"the review app of {found.label} in pipeline `{pipeline}` was still "
                    f"{found.status} after {waited:.0f} s; gave up at the deadline {deadline.hint}"
                )
            wait = min(interval, deadline.remaining())
            state = f"is {found.status}" if found is not None else "is not listed yet"
            progress.line(f"review app for {wanted} {state} after {waited:.0f} s; next look in {wait:.1f} s")
            deadline.sleep(wait)
            interval = min(interval * plan.factor, plan.cap)


def app_name(session: HerokuSession, base: str, app: str, deadline: Deadline) -> str:
    """The name of an app, looked up by its id or name (`GET /apps/{app_id_or_name}`)."""
    answer = session.get(f"{base.rstrip('/')}/apps/{quote(app, safe='')}", f"Heroku app `{app}`", deadline)
    return text(answer.data, "name", f"GET /apps/{app}")


def config_var(session: HerokuSession, base: str, app: str, name: str, deadline: Deadline) -> str | None:
    """One config var of an app (e.g. the connection's `db_key`). It may be a secret: never print it."""
    answer = session.get(
        f"{base.rstrip('/')}/apps/{quote(app, safe='')}/config-vars", f"config vars of app `{app}`", deadline
    )
    value = answer.data.get(name) if isinstance(answer.data, dict) else None
    return value if isinstance(value, str) else None


def _review_app(item: dict[str, Any], url: str) -> ReviewApp:
    app = item.get("app")
    pr_number = item.get("pr_number")
    return ReviewApp(
        id=text(item, "id", f"GET {url}"),
        app_id=str(app["id"]) if isinstance(app, dict) and app.get("id") else None,
        branch=str(item.get("branch") or ""),
        pr_number=pr_number if isinstance(pr_number, int) else None,
        status=str(item.get("status") or ""),
        message=str(item.get("message") or ""),
        error_status=str(item.get("error_status") or ""),
        updated_at=str(item.get("updated_at") or ""),
    )


def _listing(apps: list[ReviewApp]) -> str:
    if not apps:
        return "it has no review apps"
    return "it has: " + ", ".join(f"{a.label} ({a.status})" for a in apps[:10])
