"""HTTP to GitHub's REST API: the token, rate limits and retries within one deadline.

Waits follow GitHub's rules (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
`Retry-After` when given; else, once `x-ratelimit-remaining` is 0 (429 or 403), until
`x-ratelimit-reset`; else a minute for a secondary rate limit. 5xx answers and dropped connections
back off 1, 2, 4... s. A wait that would end past the deadline is not started. The clock is
injectable so tests never sleep.

The token lives only in the `Authorization` header; every message is scrubbed of it anyway.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from connect_gate.clock import Clock
from connect_gate.errors import ServiceError
from connect_gate.guard import known_secrets, scrub
from connect_gate.heroku.retry import describe_failure
from connect_gate.heroku.session import refuse_cleartext

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
ATTEMPT_TIMEOUT = 30.0  # seconds for one request, never more than the deadline leaves
SECONDARY_LIMIT_WAIT = 60.0  # GitHub: "wait for at least one minute" when no header says how long
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 16.0
SERVER_ERRORS = frozenset({500, 502, 503, 504})


class GitHubError(ServiceError):
    """GitHub refused or could not answer a request; `status` is 0 when nothing came back."""

    def __init__(self, message: str, status: int = 0, applied_maybe: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.applied_maybe = applied_maybe  # a write that may have happened before the answer was lost


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    data: Any  # parsed JSON; None for an empty body
    links: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


class GitHubClient:
    """One `requests.Session` to GitHub's REST API, bounded by one deadline for all its requests."""

    def __init__(
        self,
        token: str,
        api_url: str = "",
        deadline_seconds: float = 120.0,
        clock: Clock | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self.requests_sent = 0
        self._token = token
        self._clock = clock or Clock()
        self._deadline = self._clock.monotonic() + deadline_seconds
        self._seconds = deadline_seconds
        self._notify = notify
        self._http = requests.Session()
        self._http.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "connect-gate",
            }
        )

    def __repr__(self) -> str:
        return f"GitHubClient(api_url={self.api_url!r}, token='***')"

    def close(self) -> None:
        self._http.close()

    def remaining(self) -> float:
        return max(0.0, self._deadline - self._clock.monotonic())

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: Mapping[str, str | int] | None = None,
        replayable: bool = True,
    ) -> Reply:
        """Send one request, retried within the deadline. A request that is not `replayable` (it
        creates something) is sent again only when GitHub said it did nothing (rate limits)."""
        url = path if path.startswith(("http://", "https://")) else self.api_url + path
        refuse_cleartext(url, "GitHub's API", "the GitHub token")
        label = f"{method} {path.split('?', maxsplit=1)[0]}"
        backoff = BACKOFF_FIRST
        while True:
            try:
                response = self._send(method, url, body, params)
            except requests.RequestException as exc:
                failure = describe_failure(exc)
                sent = failure != "connection refused"
                if sent and not replayable:
                    raise GitHubError(f"{label}: {failure}", applied_maybe=True) from None
                wait, backoff = backoff, min(backoff * 2, BACKOFF_MAX)
                self._wait_or_give_up(label, failure, wait)
                continue
            wait_for_limit = rate_limit_wait(response, self._clock.now())
            if wait_for_limit is not None:
                self._wait_or_give_up(label, f"rate limited ({response.status_code})", wait_for_limit)
                continue
            if response.status_code in SERVER_ERRORS:
                why = f"answered {response.status_code}"
                if not replayable:
                    raise GitHubError(f"{label}: {why}", response.status_code, applied_maybe=True)
                asked = _retry_after(response)
                wait, backoff = (backoff if asked is None else asked), min(backoff * 2, BACKOFF_MAX)
                self._wait_or_give_up(label, why, wait)
                continue
            return self._reply(label, response)

    def pages(self, path: str, params: Mapping[str, str | int]) -> Iterator[Any]:
        """Every item of a list GitHub answers in pages (`Link: <...>; rel="next"`)."""
        reply = self.request("GET", path, params=params)
        while True:
            yield from reply.data if isinstance(reply.data, list) else []
            following = reply.links.get("next", {}).get("url")
            if not following:
                return
            reply = self.request("GET", following)

    def _send(
        self, method: str, url: str, body: Any, params: Mapping[str, str | int] | None
    ) -> requests.Response:
        self.requests_sent += 1
        timeout = max(0.5, min(ATTEMPT_TIMEOUT, self.remaining()))
        if body is not None:  # a check run or a comment quotes findings: no secret of the run goes out
            body = json.loads(scrub(json.dumps(body), known_secrets()))
        return self._http.request(method, url, json=body, params=params, timeout=timeout)

    def _wait_or_give_up(self, label: str, why: str, wait: float) -> None:
        if wait >= self.remaining():
            raise GitHubError(
                f"{label}: {why}; a retry in {wait:.0f} s would pass the deadline of {self._seconds:g} s "
                "for GitHub"
            )
        if self._notify is not None:
            self._notify(f"{label}: {why}, retrying in {wait:.1f} s")
        self._clock.sleep(wait)

    def _reply(self, label: str, response: requests.Response) -> Reply:
        status = response.status_code
        try:
            data = response.json() if response.content.strip() else None
        except ValueError:
            data = None
        if status >= 400:
            message = data.get("message", "") if isinstance(data, dict) else ""
            raise GitHubError(self._scrub(f"{label} answered {status} {message}".rstrip()), status)
        return Reply(status, data, response.links)

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


def rate_limit_wait(response: requests.Response, now: float) -> float | None:
    """Seconds to wait before trying again, when the answer is a rate limit; else None."""
    status, headers = response.status_code, response.headers
    if status not in (403, 429):
        return None
    retry_after = _retry_after(response)
    if retry_after is not None:
        return retry_after
    if headers.get("x-ratelimit-remaining") == "0":
        try:
            return max(0.0, float(headers.get("x-ratelimit-reset", "")) - now) + 1.0
        except ValueError:
            return SECONDARY_LIMIT_WAIT
    if status == 429 or "secondary rate limit" in response.text.lower():
        return SECONDARY_LIMIT_WAIT
    return None  # a plain 403: the token may not do this


def _retry_after(response: requests.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None
