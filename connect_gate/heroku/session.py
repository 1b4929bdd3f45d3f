"""HTTP to Heroku: the Bearer token, retries within a deadline, and errors a user can act on.

Retries are urllib3's `Retry`, bounded by a `Deadline` instead of a count: 429 and 5xx answers
and dropped connections are tried again with backoff (or after `Retry-After`) for as long as the
deadline allows. Besides GETs, the only requests we make are the two POSTs of the official
plugin (`/auth/<app>`, `.../validations`), which are safe to repeat: granting access again or
running the checks again changes nothing.

The API key lives only in the `Authorization` header; every message is scrubbed of it anyway.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from connect_gate.errors import ServiceError
from connect_gate.heroku.deadline import Deadline

KEY_REJECTED = "the Heroku API key was rejected (input `heroku-api-key` / HEROKU_API_KEY)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ATTEMPT_TIMEOUT = 30.0  # seconds for one request, never more than the deadline leaves


class ApiKeyRejectedError(ServiceError):
    """401 or 403: the key is wrong, expired, or lacks access."""


class NotFoundError(ServiceError):
    """404, or an empty list where one thing was looked for; the message names what."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    data: Any  # parsed JSON; None for an empty body
    headers: Mapping[str, str]


class DeadlineRetry(Retry):
    """urllib3's Retry that gives up instead of waiting past the deadline."""

    deadline: Deadline | None = None
    notify: Callable[[str], None] | None = None

    def new(self, **kw: Any) -> DeadlineRetry:
        retry = super().new(**kw)
        retry.deadline, retry.notify = self.deadline, self.notify
        return retry

    def increment(
        self, method: str | None = None, url: str | None = None, *args: Any, **kw: Any
    ) -> DeadlineRetry:
        retry = super().increment(method, url, *args, **kw)
        response: BaseHTTPResponse | None = kw.get("response")
        error: Exception | None = kw.get("error")
        wait = retry.get_retry_after(response) if response is not None else None
        wait = retry.get_backoff_time() if wait is None else wait
        if self.deadline is not None and wait >= self.deadline.remaining():
            raise MaxRetryError(kw.get("_pool"), url, error)  # type: ignore[arg-type]
        if self.notify is not None:
            why = f"answered {response.status}" if response is not None else "connection failed"
            self.notify(f"{method} {_path(url or '')}: {why}, retrying in {wait:.1f} s")
        return retry


class HerokuSession:
    """One `requests.Session` for one API (Connect or Platform), with its headers."""

    def __init__(
        self,
        api_key: str,
        service: str,
        accept: str = "application/json",
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.service = service  # "the Heroku Connect API", used in messages
        self._key = api_key
        self._notify = notify
        self._http = requests.Session()
        self._http.headers.update(
            {
                "Authorization": f"Bearer {api_key}",
                "Accept": accept,
                "Content-Type": "application/json",
                "Heroku-Client": "connect-gate",
            }
        )
        self._adapter = HTTPAdapter()
        self._http.mount("http://", self._adapter)
        self._http.mount("https://", self._adapter)

    def __repr__(self) -> str:
        return f"HerokuSession(service={self.service!r}, api_key='***')"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def get(self, url: str, what: str, deadline: Deadline, **kw: Any) -> Answer:
        return self.request("GET", url, what, deadline, **kw)

    def post(self, url: str, what: str, deadline: Deadline) -> Answer:
        return self.request("POST", url, what, deadline)

    def request(
        self,
        method: str,
        url: str,
        what: str,
        deadline: Deadline,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """Send one request (retried within `deadline`); `what` names the thing asked for."""
        try:
            while True:
                try:
                    response = self._send(method, url, deadline, params, headers)
                    response.content  # noqa: B018  (read the body now: a cut-off body raises here)
                    break
                except requests.exceptions.ChunkedEncodingError:
                    if deadline.remaining() < 1.0:
                        raise
                    self._say(f"{method} {_path(url)}: answer cut off, retrying in 0.5 s")
                    time.sleep(0.5)
        except requests.RequestException as exc:
            raise ServiceError(self._scrub(self._unreachable(method, url, deadline, exc))) from None
        return self._answer(method, url, what, deadline, response)

    def _send(
        self,
        method: str,
        url: str,
        deadline: Deadline,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
    ) -> requests.Response:
        retry = DeadlineRetry(
            total=100,
            redirect=5,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "POST"}),
            backoff_factor=0.25,
            backoff_max=4.0,
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        retry.deadline, retry.notify = deadline, self._notify
        self._adapter.max_retries = retry  # one request at a time per session
        timeout = max(0.5, min(ATTEMPT_TIMEOUT, deadline.remaining()))
        return self._http.request(method, url, params=params, headers=headers, timeout=timeout)

    def _answer(
        self, method: str, url: str, what: str, deadline: Deadline, response: requests.Response
    ) -> Answer:
        status = response.status_code
        request = f"{method} {_path(url)}"
        if status in (401, 403):
            raise ApiKeyRejectedError(f"{KEY_REJECTED}: {request} answered {status}")
        if status == 404:
            raise NotFoundError(self._scrub(f"{what} not found: {request} on {_host(url)} answered 404"))
        if status == 429:
            wait = response.headers.get("Retry-After", "?")
            raise ServiceError(
                f"{self.service} kept refusing {request} with 429 Too Many Requests (Retry-After: {wait} s) "
                f"for {deadline.elapsed():.1f} s; gave up at the deadline {deadline.hint}"
            )
        if status >= 500:
            raise ServiceError(
                f"{self.service} is unavailable: {request} answered {status} {response.reason} "
                f"for {deadline.elapsed():.1f} s; gave up at the deadline {deadline.hint}. "
                "Heroku's maintenance windows last up to 45 minutes."
            )
        if status >= 400:
            raise ServiceError(
                self._scrub(f"{self.service} refused {request}: {status} {_message(response)}")
            )
        if not response.content.strip():
            return Answer(status, None, response.headers)
        try:
            data = json.loads(response.content)
        except ValueError:
            start = response.content[:60].decode("utf-8", "replace")
            raise ServiceError(
                self._scrub(
                    f"{self.service} answered {request} with malformed JSON "
                    f"({status}, {len(response.content)} bytes, starting {start!r})"
                )
            ) from None
        return Answer(status, data, response.headers)

    def _unreachable(self, method: str, url: str, deadline: Deadline, exc: requests.RequestException) -> str:
        if isinstance(exc, requests.Timeout):
            reason = "no answer in time"
        elif isinstance(exc, requests.exceptions.ChunkedEncodingError):
            reason = "the answer was cut off"
        else:
            reason = "connection failed or was reset"
        return (
            f"could not reach {self.service} at {_host(url)}: {method} {_path(url)}: {reason}; "
            f"gave up after {deadline.elapsed():.1f} s {deadline.hint}"
        )

    def _say(self, line: str) -> None:
        if self._notify is not None:
            self._notify(line)

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _message(response: requests.Response) -> str:
    """Heroku's error bodies are `{"id": ..., "message": ...}`; fall back to the reason phrase."""
    try:
        body = response.json()
    except ValueError:
        return response.reason or ""
    return str(body.get("message", response.reason)) if isinstance(body, dict) else response.reason or ""
