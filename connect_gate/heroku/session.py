"""HTTP to Heroku: the Bearer token, retries within a deadline, and errors a user can act on.

Retries are urllib3's `Retry` bounded by a deadline (see `retry.py`); an answer cut off mid-body,
which urllib3 cannot retry (the body is read after it returns), is asked for again here.

The API key lives only in the `Authorization` header; every message is scrubbed of it anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from connect_gate.document import parse_json
from connect_gate.errors import InputError, ServiceError
from connect_gate.heroku.deadline import Deadline, DeadlinePassedError, finish_within
from connect_gate.heroku.retry import describe_failure, path_of, retry_within

KEY_REJECTED = "the Heroku API key was rejected (input `heroku-api-key` / HEROKU_API_KEY)"
CUT_OFF_PAUSE = 0.5  # seconds before asking again for an answer that was cut off
ATTEMPT_TIMEOUT = 30.0  # seconds for one request, never more than the deadline leaves
DEADLINE_GRACE = 1.0  # seconds past the deadline before a request still being answered is left behind
MAX_ANSWER_BYTES = 32 * 1024 * 1024  # of one answer's body (decoded): more is refused, not read
CHUNK_BYTES = 64 * 1024


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def refuse_cleartext(url: str, service: str, secret: str = "the Heroku API key") -> None:
    """The key goes only over TLS, to whatever host Heroku names (detail_url, result_url...);
    plain HTTP is for a server on this machine (tests, a local proxy)."""
    parts = urlsplit(url)
    if parts.scheme != "https" and (parts.scheme != "http" or parts.hostname not in LOOPBACK):
        raise ServiceError(
            f"refusing to send {secret} to {parts.scheme}://{parts.hostname or ''}: "
            f"{service} must be reached over https"
        )


class ApiKeyRejectedError(InputError):
    """401 or 403: the key is wrong, expired, or lacks access: the user's to fix (exit 2), and never
    let through by `on-error: warn`, which is for a service that cannot be reached."""


class AnswerTooLargeError(ServiceError):
    """An answer's body passed `MAX_ANSWER_BYTES`: reading stopped there (no retry)."""


class NotFoundError(ServiceError):
    """404, or an empty list where one thing was looked for; the message names what."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    data: Any  # parsed JSON; None for an empty body
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _Call:
    """One request as messages describe it."""

    method: str
    url: str  # with its query
    what: str
    deadline: Deadline
    began: float

    @property
    def label(self) -> str:
        return f"{self.method} {path_of(self.url)}"

    @property
    def tried(self) -> float:
        return time.monotonic() - self.began


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
        prepared = requests.PreparedRequest()
        try:
            prepared.prepare_url(url, params)
        except requests.RequestException as exc:  # an address Heroku gave us (detail_url, result_url)
            raise ServiceError(
                self._scrub(f"{self.service} gave an address that cannot be requested for {what}: {exc}")
            ) from None
        refuse_cleartext(prepared.url or url, self.service)
        call = _Call(method, prepared.url or url, what, deadline, time.monotonic())
        try:
            response, body = finish_within(
                deadline, DEADLINE_GRACE, lambda: self._send_and_read(call, headers)
            )
        except DeadlinePassedError:
            raise ServiceError(
                f"no complete answer from {self.service} at {_host(call.url)}: {call.label} was still "
                f"answering after {call.tried:.1f} s; gave up at the deadline {deadline.hint}"
            ) from None
        except requests.RequestException as exc:
            raise ServiceError(
                self._scrub(
                    f"could not reach {self.service} at {_host(call.url)}: {call.label}: "
                    f"{describe_failure(exc)}; "
                    f"tried for {call.tried:.1f} s, no time left to retry {deadline.hint}"
                )
            ) from None
        return self._answer(call, response, body)

    def _send_and_read(
        self, call: _Call, headers: Mapping[str, str] | None
    ) -> tuple[requests.Response, bytes]:
        """The response and its body, read now; a body cut off mid-way is asked for again."""
        while True:
            try:
                response = self._send(call, headers)
                with response:  # streamed: the connection goes back to the pool, or is dropped
                    return response, self._read_capped(call, response)
            except requests.exceptions.ChunkedEncodingError:
                if call.deadline.remaining() < CUT_OFF_PAUSE * 2:
                    raise
                self._say(f"{call.label}: answer cut off, retrying in {CUT_OFF_PAUSE} s")
                time.sleep(CUT_OFF_PAUSE)

    def _send(self, call: _Call, headers: Mapping[str, str] | None) -> requests.Response:
        retry = retry_within(call.deadline, self._notify)
        self._adapter.max_retries = retry  # one request at a time per session
        timeout = max(0.5, min(ATTEMPT_TIMEOUT, call.deadline.remaining()))
        return self._http.request(call.method, call.url, headers=headers, timeout=timeout, stream=True)

    def _read_capped(self, call: _Call, response: requests.Response) -> bytes:
        """The body in chunks, stopping as soon as it passes `MAX_ANSWER_BYTES` (a cut-off body
        raises ChunkedEncodingError here; the whole read is bounded by the deadline)."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise self._too_large(call, f"announced {int(declared):,} bytes, more")
        body = bytearray()
        for chunk in response.iter_content(CHUNK_BYTES):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise self._too_large(call, "sent more")
        return bytes(body)

    def _too_large(self, call: _Call, how: str) -> AnswerTooLargeError:
        return AnswerTooLargeError(
            f"{self.service} answered {call.label} with a body too large to read: it {how} than the "
            f"{MAX_ANSWER_BYTES // (1024 * 1024)} MiB connect-gate reads of one answer"
        )

    def _answer(self, call: _Call, response: requests.Response, body: bytes) -> Answer:
        status = response.status_code
        if status in (401, 403):
            raise ApiKeyRejectedError(
                self._scrub(f"{KEY_REJECTED}: {call.label} answered {status}: {_message(response, body)}")
            )
        if status == 404:
            raise NotFoundError(
                self._scrub(f"{call.what} not found: {call.label} on {_host(call.url)} answered 404")
            )
        if status == 429:
            raise ServiceError(
                f"{self.service} kept refusing {call.label} with 429 Too Many Requests "
                f"(Retry-After: {response.headers.get('Retry-After', '?')} s) for {call.tried:.1f} s; "
                f"no time left to retry {call.deadline.hint}"
            )
        if status >= 500:
            raise ServiceError(
                f"{self.service} is unavailable: {call.label} answered {status} {response.reason} "
                f"for {call.tried:.1f} s; no time left to retry {call.deadline.hint}. "
                "Heroku's maintenance windows last up to 45 minutes."
            )
        if status >= 400:
            raise ServiceError(
                self._scrub(f"{self.service} refused {call.label}: {status} {_message(response, body)}")
            )
        if not body.strip():
            return Answer(status, None, response.headers)
        try:
            data = parse_json(body)
        except ValueError:
            start = body[:60].decode("utf-8", "replace")
            raise ServiceError(
                self._scrub(
                    f"{self.service} answered {call.label} with malformed JSON "
                    f"({status}, {len(body)} bytes, starting {start!r})"
                )
            ) from None
        return Answer(status, data, response.headers)

    def _say(self, line: str) -> None:
        if self._notify is not None:
            self._notify(line)

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _message(response: requests.Response, body: bytes) -> str:
    """Heroku's error bodies are `{"id": ..., "message": ...}`; fall back to the reason phrase."""
    try:
        data = parse_json(body)
    except ValueError:
        return response.reason or ""
    return str(data.get("message", response.reason)) if isinstance(data, dict) else response.reason or ""
