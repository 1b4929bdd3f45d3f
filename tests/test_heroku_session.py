"""HTTP faults against the fake server: each ends in the documented message within its deadline."""

from __future__ import annotations

import re
import time

import pytest
from fake_heroku import (
    API_KEY,
    FakeHeroku,
    Fault,
)

from connect_gate.errors import InputError, ServiceError
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.session import (
    MAX_ANSWER_BYTES,
    Answer,
    ApiKeyRejectedError,
    HerokuSession,
    NotFoundError,
)

SECONDS = r"\d+\.\d"


def get(fake: FakeHeroku, path: str = "/connections", seconds: float = 2.0, key: str = API_KEY) -> Answer:
    with HerokuSession(key, "the Heroku Connect API") as session:
        return session.get(
            f"{fake.url}{path}",
            "Heroku app `my-app`",
            Deadline.after(seconds, "timeout"),
            params={"app": "my-app"} if path == "/connections" else None,
        )


def failure(
    fake: FakeHeroku, path: str = "/connections", seconds: float = 2.0, key: str = API_KEY
) -> tuple[ServiceError | InputError, float]:
    began = time.monotonic()
    with pytest.raises((ServiceError, InputError)) as caught:
        get(fake, path, seconds, key)
    assert API_KEY not in str(caught.value)
    error = caught.value
    assert isinstance(error, (ServiceError, InputError))
    return error, time.monotonic() - began


def test_sends_the_bearer_token_and_the_client_header(fake: FakeHeroku) -> None:
    assert get(fake).data == {"count": 0, "results": []}
    headers = fake.requests[0].headers
    assert headers["Authorization"] == f"Bearer {API_KEY}"
    assert headers["Heroku-Client"] == "connect-gate"
    assert fake.requests[0].query == {"app": ["my-app"]}


def test_a_burst_of_503_is_retried_until_it_passes(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.http(503), times=2)
    assert get(fake, seconds=5).status == 200
    assert fake.count("GET", "/connections") == 3


def test_a_500_that_does_not_end_fails_at_the_deadline(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.http(500), times=None)
    error, took = failure(fake, seconds=1.5)
    assert re.fullmatch(
        rf"the Heroku Connect API is unavailable: GET /connections\?app=my-app answered 500 Internal Server "
        rf"Error for {SECONDS} s; no time left to retry \(input `timeout`: 1.5 s\)\. Heroku's maintenance "
        r"windows last up to 45 minutes\.",
        str(error),
    )
    assert took < 1.5
    assert fake.count("GET", "/connections") >= 3


def test_429_waits_as_long_as_retry_after_says(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.rate_limited(1), times=1)
    assert get(fake, seconds=5).status == 200
    times = [r.at for r in fake.requests]
    assert len(times) == 2
    assert 1.0 <= times[1] - times[0] < 2.0  # not before Retry-After; the upper bound only guards a hang


def test_an_unreadable_retry_after_falls_back_to_backoff(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.http(429, headers={"Retry-After": "soon"}), times=1)
    assert get(fake, seconds=5).status == 200
    assert fake.count("GET", "/connections") == 2


def test_429_asking_to_wait_past_the_deadline_fails_at_once(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.rate_limited(60), times=None)
    error, took = failure(fake, seconds=3)
    assert re.fullmatch(
        rf"the Heroku Connect API kept refusing GET /connections\?app=my-app with 429 Too Many Requests "
        rf"\(Retry-After: 60 s\) for {SECONDS} s; no time left to retry \(input `timeout`: 3 s\)",
        str(error),
    )
    assert took < 1.5  # at once: far below both the 60 s asked and the 3 s deadline
    assert fake.count("GET") == 1


def test_a_connection_reset_before_the_answer_is_retried(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.reset(), times=2)
    assert get(fake, seconds=5).status == 200
    assert fake.count("GET", "/connections") == 3


def test_an_answer_cut_off_mid_body_is_retried(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.truncate(), times=1)
    assert get(fake, seconds=5).data == {"count": 0, "results": []}
    assert fake.count("GET", "/connections") == 2


def test_an_answer_announcing_more_than_the_cap_is_refused_unread(fake: FakeHeroku) -> None:
    body = '"' + "a" * (MAX_ANSWER_BYTES - 1) + '"'  # one byte over the cap
    fake.script("GET", "/connections", Fault.http(200, body), times=None)
    error, _ = failure(fake, seconds=30)
    assert str(error) == (
        "the Heroku Connect API answered GET /connections?app=my-app with a body too large to read: it "
        f"announced {MAX_ANSWER_BYTES + 1:,} bytes, more than the 32 MiB connect-gate reads of one answer"
    )
    assert fake.count("GET", "/connections") == 1  # not retried


def test_an_endless_answer_is_read_up_to_the_cap_then_refused(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.flood(), times=None)
    error, _ = failure(fake, seconds=30)
    assert str(error) == (
        "the Heroku Connect API answered GET /connections?app=my-app with a body too large to read: it "
        "sent more than the 32 MiB connect-gate reads of one answer"
    )
    assert fake.count("GET", "/connections") == 1


def test_an_answer_just_under_the_cap_is_read(fake: FakeHeroku) -> None:
    body = '"' + "a" * (MAX_ANSWER_BYTES - 2) + '"'
    fake.script("GET", "/connections", Fault.http(200, body), times=1)
    assert len(get(fake, seconds=30).data) == MAX_ANSWER_BYTES - 2


def test_resets_that_never_end_fail_at_the_deadline(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.reset(), times=None)
    error, took = failure(fake, seconds=1.5)
    assert re.fullmatch(
        rf"could not reach the Heroku Connect API at 127\.0\.0\.1:\d+: GET /connections\?app=my-app: the "
        rf"connection was dropped; tried for {SECONDS} s, no time left to retry \(input `timeout`: 1.5 s\)",
        str(error),
    )
    assert took < 1.5


def test_a_server_slower_than_the_deadline_fails_near_the_deadline(fake: FakeHeroku) -> None:
    fake.latency = 1.5
    error, took = failure(fake, seconds=0.6)
    assert re.fullmatch(
        rf"could not reach the Heroku Connect API at 127\.0\.0\.1:\d+: GET /connections\?app=my-app: no "
        rf"answer in time; tried for {SECONDS} s, no time left to retry \(input `timeout`: 0.6 s\)",
        str(error),
    )
    assert took < 1.45  # before the server's 1.5 s answer: the deadline, not the server, ended it


def test_nobody_listening_is_a_refused_connection() -> None:
    with FakeHeroku(API_KEY) as closed:
        url = closed.url
    with HerokuSession(API_KEY, "the Heroku Connect API") as session, pytest.raises(ServiceError) as caught:
        session.get(f"{url}/connections", "Heroku app `a`", Deadline.after(0.8, "timeout"))
    assert ": connection refused; tried for " in str(caught.value)


def test_malformed_json_is_a_clear_error(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.garbage())
    error, _ = failure(fake)
    assert str(error) == (
        "the Heroku Connect API answered GET /connections?app=my-app with malformed JSON "
        "(200, 43 bytes, starting '<html><body>Application error</body></html>')"
    )


def test_a_wrong_key_is_rejected_naming_the_input(fake: FakeHeroku) -> None:
    error, _ = failure(fake, key="not-the-key")
    assert isinstance(error, ApiKeyRejectedError)
    assert str(error) == (
        "the Heroku API key was rejected (input `heroku-api-key` / HEROKU_API_KEY): "
        "GET /connections?app=my-app answered 401: Invalid credentials provided."
    )
    assert fake.count("GET") == 1  # never retried


def test_403_is_a_rejected_key_too(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.http(403, '{"id": "forbidden", "message": "no access"}'))
    error, _ = failure(fake)
    assert isinstance(error, ApiKeyRejectedError)
    assert str(error).endswith("GET /connections?app=my-app answered 403: no access")


def test_404_names_what_was_missing(fake: FakeHeroku) -> None:
    with HerokuSession(API_KEY, "the Heroku Platform API") as session, pytest.raises(NotFoundError) as caught:
        session.get(f"{fake.url}/apps/nope", "Heroku app `nope`", Deadline.after(2, "timeout"))
    assert str(caught.value) == f"Heroku app `nope` not found: GET /apps/nope on {fake.url[7:]} answered 404"


def test_other_4xx_quotes_herokus_message(fake: FakeHeroku) -> None:
    fake.script("GET", "/connections", Fault.http(422, '{"id": "invalid_params", "message": "Bad app name"}'))
    error, _ = failure(fake)
    assert str(error) == "the Heroku Connect API refused GET /connections?app=my-app: 422 Bad app name"


def test_the_key_is_not_in_the_sessions_repr() -> None:
    session = HerokuSession(API_KEY, "the Heroku Connect API")
    assert repr(session) == "HerokuSession(service='the Heroku Connect API', api_key='***')"
    session.close()


def test_retries_are_announced_to_the_progress_log(fake: FakeHeroku) -> None:
    lines: list[str] = []
    fake.script("GET", "/connections", Fault.http(503), times=1)
    with HerokuSession(API_KEY, "the Heroku Connect API", notify=lines.append) as session:
        session.get(f"{fake.url}/connections", "x", Deadline.after(2, "timeout"))
    assert lines == ["GET /connections: answered 503, retrying in 0.0 s"]


def test_the_key_is_never_sent_in_cleartext_to_another_host() -> None:
    with HerokuSession(API_KEY, "the Heroku Connect API") as session, pytest.raises(ServiceError) as caught:
        session.get("http://hc-central.example.com/connections", "x", Deadline.after(2, "timeout"))
    assert str(caught.value) == (
        "refusing to send the Heroku API key to http://hc-central.example.com: "
        "the Heroku Connect API must be reached over https"
    )
