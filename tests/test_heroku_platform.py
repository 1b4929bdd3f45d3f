"""Finding the pull request's review app through the Platform API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fake_heroku import (
    API_KEY,
    FAST,
    FakeHeroku,
    FakeReviewApp,
)

from connect_gate.errors import InputError, ServiceError
from connect_gate.event import PullRequest, pull_request
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import ReviewApp
from connect_gate.heroku.platform import (
    PLATFORM_ACCEPT,
    app_name,
    config_var,
    review_apps,
    wait_for_review_app,
)
from connect_gate.heroku.session import HerokuSession, NotFoundError
from connect_gate.workflow import SILENT


def look(fake: FakeHeroku, pr: int | None = 12, branch: str = "", seconds: float = 3.0) -> ReviewApp:
    with HerokuSession(API_KEY, "the Heroku Platform API", PLATFORM_ACCEPT) as session:
        return wait_for_review_app(
            session,
            fake.url,
            "shop",
            pr_number=pr,
            branch=branch,
            deadline=Deadline.after(seconds, "review-app-timeout", fake.clock),
            progress=SILENT,
            plan=FAST,
        )


def crowd(fake: FakeHeroku) -> None:
    for number in range(5):
        fake.add_review_app("shop", FakeReviewApp(number, f"feature-{number}", f"shop-pr-{number}"))


def test_the_prs_review_app_is_found_on_a_later_page(fake: FakeHeroku) -> None:
    fake.page_size = 2
    crowd(fake)
    fake.add_review_app("shop", FakeReviewApp(12, "feature-12", "shop-pr-12"))
    found = look(fake)
    assert (found.pr_number, found.status, found.app_id) == (12, "created", "app-id-shop-pr-12")
    shop = fake.pipelines["shop"]
    assert [r.path for r in fake.requests] == ["/pipelines/shop"] + [f"/pipelines/{shop}/review-apps"] * 3
    assert fake.requests[0].headers["Accept"] == "application/vnd.heroku+json; version=3"
    assert [r.headers["Range"] for r in fake.requests[1:]] == [
        "id ..; max=200",
        f"id ]{fake.review_apps['shop'][1].id}..; max=2",
        f"id ]{fake.review_apps['shop'][3].id}..; max=2",
    ]


def test_the_branch_is_the_fallback_when_no_app_has_the_pr_number(fake: FakeHeroku) -> None:
    fake.add_review_app("shop", FakeReviewApp(None, "feature-x", "shop-feature-x"))
    assert look(fake, pr=12, branch="feature-x").app_id == "app-id-shop-feature-x"


def test_deleted_review_apps_do_not_count(fake: FakeHeroku) -> None:
    fake.add_review_app("shop", FakeReviewApp(12, "feature-12", "shop-old", timeline=[(0, "deleted")]))
    fake.add_review_app("shop", FakeReviewApp(12, "feature-12", "shop-new"))
    assert look(fake).app_id == "app-id-shop-new"


def test_a_review_app_being_created_is_waited_for(fake: FakeHeroku) -> None:
    fake.add_review_app(
        "shop",
        FakeReviewApp(12, "f", "shop-pr-12", timeline=[(0, "pending"), (0.2, "creating"), (0.5, "created")]),
    )
    began = fake.clock.monotonic()
    assert look(fake).status == "created"
    assert 0.5 <= fake.clock.monotonic() - began < 0.8
    assert fake.count("GET", "/pipelines/") >= 3


def test_an_errored_review_app_is_returned_with_herokus_message(fake: FakeHeroku) -> None:
    fake.add_review_app(
        "shop",
        FakeReviewApp(
            12,
            "f",
            "shop-pr-12",
            timeline=[(0, "creating"), (0.2, "errored")],
            message="Postdeploy script failed: exit 1",
        ),
    )
    found = look(fake)
    assert (found.status, found.message, found.error_status) == (
        "errored",
        "Postdeploy script failed: exit 1",
        "build_failed",
    )


def test_still_creating_at_the_deadline_fails_at_the_deadline(fake: FakeHeroku) -> None:
    fake.add_review_app("shop", FakeReviewApp(12, "f", "shop-pr-12", timeline=[(0, "creating")]))
    began = fake.clock.monotonic()
    with pytest.raises(ServiceError) as caught:
        look(fake, seconds=0.8)
    assert 0.8 <= fake.clock.monotonic() - began < 1.1
    assert re.fullmatch(
        r"the review app of PR #12 in pipeline `shop` was still creating after \d s; "
        r"gave up at the deadline \(input `review-app-timeout`: 0.8 s\)",
        str(caught.value),
    )


def test_no_review_app_says_what_was_looked_for(fake: FakeHeroku) -> None:
    crowd(fake)
    began = fake.clock.monotonic()
    with pytest.raises(NotFoundError) as caught:
        look(fake, pr=12, branch="feature-12", seconds=0.3)
    assert 0.3 <= fake.clock.monotonic() - began < 0.6  # looked again until the deadline
    assert str(caught.value) == (
        "no review app for PR #12 or branch `feature-12` in pipeline `shop` after 0 s (it has: PR #0 "
        "(created), PR #1 (created), PR #2 (created), PR #3 (created), PR #4 (created)); check inputs "
        "`pipeline`, `pr-number` and `branch`, and that review apps are enabled"
    )


def test_a_review_app_listed_a_little_after_the_pr_opened_is_found(fake: FakeHeroku) -> None:
    fake.add_review_app("shop", FakeReviewApp(12, "f", "shop-pr-12", listed_after=0.3))
    assert look(fake).app_id == "app-id-shop-pr-12"
    assert fake.count("GET", "/pipelines/") >= 3


def test_an_unknown_pipeline_is_named(fake: FakeHeroku) -> None:
    with pytest.raises(NotFoundError) as caught:
        look(fake)
    assert (
        str(caught.value) == f"pipeline `shop` not found: GET /pipelines/shop on {fake.url[7:]} answered 404"
    )


@pytest.mark.parametrize("by", ["name", "id"])
def test_the_pipeline_input_is_a_name_or_an_id(fake: FakeHeroku, by: str) -> None:
    fake.add_review_app("other", FakeReviewApp(12, "f", "other-pr-12"))
    fake.add_review_app("shop", FakeReviewApp(12, "f", "shop-pr-12"))
    shop = fake.pipelines["shop"]
    pipeline = "shop" if by == "name" else shop
    with HerokuSession(API_KEY, "the Heroku Platform API", PLATFORM_ACCEPT) as session:
        found = wait_for_review_app(
            session,
            fake.url,
            pipeline,
            pr_number=12,
            branch="",
            deadline=Deadline.after(3, "review-app-timeout"),
            progress=SILENT,
            plan=FAST,
        )
    assert found.app_id == "app-id-shop-pr-12"
    # the review apps are listed by the pipeline's id, which is all that route takes
    assert [r.path for r in fake.requests] == [f"/pipelines/{pipeline}", f"/pipelines/{shop}/review-apps"]


def test_the_fake_lists_review_apps_by_pipeline_id_only(fake: FakeHeroku) -> None:
    fake.add_review_app("shop", FakeReviewApp(12, "f", "shop-pr-12"))
    with HerokuSession(API_KEY, "the Heroku Platform API", PLATFORM_ACCEPT) as session:
        deadline = Deadline.after(3, "review-app-timeout")
        with pytest.raises(NotFoundError):
            review_apps(session, fake.url, "shop", deadline)
        assert [a.app_id for a in review_apps(session, fake.url, fake.pipelines["shop"], deadline)] == [
            "app-id-shop-pr-12"
        ]


def test_neither_pr_number_nor_branch_is_an_input_error(fake: FakeHeroku) -> None:
    with pytest.raises(InputError) as caught:
        look(fake, pr=None, branch="")
    assert str(caught.value) == (
        "input `pipeline` needs `pr-number` (default: the pull request of the event) or `branch`"
    )


def test_the_pr_number_and_branch_come_from_the_pull_request_event(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 42, "head": {"ref": "feature-x"}}}))
    push = tmp_path / "push.json"
    push.write_text(json.dumps({"ref": "refs/heads/main"}))
    events = (event, push, tmp_path / "missing.json")
    assert [pull_request(str(p)) for p in events] == [
        PullRequest(42, "feature-x"),
        PullRequest(),
        PullRequest(),
    ]
    assert pull_request("") == PullRequest()


def test_the_app_name_and_a_config_var_of_the_review_app(fake: FakeHeroku) -> None:
    fake.add_review_app("shop", FakeReviewApp(12, "f", "shop-pr-12"))
    fake.config_vars["shop-pr-12"] = {"DATABASE_URL": "postgres://u:p@127.0.0.1:5432/d"}
    with HerokuSession(API_KEY, "the Heroku Platform API", PLATFORM_ACCEPT) as session:
        deadline = Deadline.after(3, "review-app-timeout", fake.clock)
        assert app_name(session, fake.url, "app-id-shop-pr-12", deadline) == "shop-pr-12"
        assert config_var(session, fake.url, "shop-pr-12", "DATABASE_URL", deadline) == (
            "postgres://u:p@127.0.0.1:5432/d"
        )
        assert config_var(session, fake.url, "shop-pr-12", "HEROKU_POSTGRESQL_RED_URL", deadline) is None
