"""The fake server itself: it stops cleanly and answers like the reference payloads."""

from __future__ import annotations

import socket
import threading

import pytest
import requests
from fake_heroku import (
    API_KEY,
    FakeHeroku,
    FakeReviewApp,
    Fault,
    seed_connection,
)


def test_leaving_the_block_leaves_no_thread_and_no_port() -> None:
    before = set(threading.enumerate())
    with FakeHeroku(API_KEY) as fake:
        fake.add_connection(seed_connection())
        port = int(fake.url.rsplit(":", 1)[1])
        with requests.Session() as client:  # a keep-alive client still connected at shutdown
            client.get(f"{fake.url}/connections", params={"app": "protected-ridge-4963"})
            fake.script("GET", "/connections", Fault.reset())
            with pytest.raises(requests.ConnectionError):
                client.get(f"{fake.url}/connections")
    assert set(threading.enumerate()) == before
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_without_the_bearer_token_every_endpoint_answers_401(fake: FakeHeroku) -> None:
    answer = requests.get(f"{fake.url}/connections", params={"app": "x"}, timeout=5)
    assert (answer.status_code, answer.json()) == (
        401,
        {"id": "unauthorized", "message": "Invalid credentials provided."},
    )


def test_discovery_detail_and_validations_follow_the_reference(fake: FakeHeroku) -> None:
    connection = fake.add_connection(seed_connection(pending_polls=1))
    auth = {"Authorization": f"Bearer {API_KEY}"}
    found = requests.get(
        f"{fake.url}/connections", params={"app": "protected-ridge-4963"}, headers=auth, timeout=5
    )
    record = found.json()["results"][0]
    assert found.json()["count"] == 1
    assert record["detail_url"] == f"{fake.url}/api/v3/connections/{connection.id}"
    detail = requests.get(record["detail_url"], params={"deep": "true"}, headers=auth, timeout=5).json()
    assert detail["mappings"][0]["object_name"] == "Account"
    assert detail["sf_info"] == {"api_version": "55.0"}
    started = requests.post(
        f"{record['region_url']}/api/v3/connections/{connection.id}/validations", headers=auth, timeout=5
    )
    assert started.status_code == 202
    result_url = started.json()["result_url"]
    first = requests.get(result_url, headers=auth, timeout=5)
    assert (first.status_code, first.content) == (202, b"")
    done = requests.get(result_url, headers=auth, timeout=5)
    assert done.status_code == 200
    assert done.json()["mappings"]["Account"]["errors"][0]["display_name"] == "Unique Identifier"


def test_review_apps_page_with_range_and_next_range(fake: FakeHeroku) -> None:
    for number in range(5):
        fake.add_review_app("shop", FakeReviewApp(number, f"branch-{number}", f"shop-pr-{number}"))
    auth = {"Authorization": f"Bearer {API_KEY}", "Range": "id ..; max=2"}
    pages, statuses = [], []
    while True:
        answer = requests.get(
            f"{fake.url}/pipelines/{fake.pipelines['shop']}/review-apps", headers=auth, timeout=5
        )
        pages.append([app["pr_number"] for app in answer.json()])
        statuses.append(answer.status_code)
        if "Next-Range" not in answer.headers:
            break
        auth["Range"] = answer.headers["Next-Range"]
    assert pages == [[0, 1], [2, 3], [4]]
    assert statuses == [206, 206, 200]
