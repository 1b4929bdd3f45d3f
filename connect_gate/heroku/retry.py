"""urllib3's Retry, bounded by a deadline instead of a count.

429 and 5xx answers and dropped connections are tried again with backoff (0, 0.5, 1, 2, 4 s...)
or after `Retry-After`, for as long as the deadline allows; a wait that would end past the
deadline is not started. Besides GETs, the only requests we make are the two POSTs of the
official plugin (`/auth/<app>`, `.../validations`), which are safe to repeat: granting access
again or running the checks again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import InvalidHeader, MaxRetryError, NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from connect_gate.heroku.deadline import Deadline

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class DeadlineRetry(Retry):
    """urllib3's Retry that gives up instead of waiting past the deadline."""

    deadline: Deadline | None = None
    notify: Callable[[str], None] | None = None

    def new(self, **kw: Any) -> DeadlineRetry:
        retry = super().new(**kw)
        retry.deadline, retry.notify = self.deadline, self.notify
        return retry

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """A `Retry-After` we cannot read (not whole seconds nor a date) means: back off as usual."""
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None

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
            self.notify(f"{method} {path_of(url or '')}: {why}, retrying in {wait:.1f} s")
        return retry


def retry_within(deadline: Deadline, notify: Callable[[str], None] | None) -> DeadlineRetry:
    retry = DeadlineRetry(
        total=100,  # a fuse; the deadline is the real bound
        redirect=5,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST"}),
        backoff_factor=0.25,
        backoff_max=4.0,
        raise_on_status=False,  # the last answer comes back, so its status can be explained
        respect_retry_after_header=True,
    )
    retry.deadline, retry.notify = deadline, notify
    return retry


def describe_failure(exc: requests.RequestException) -> str:
    """What went wrong on the wire, in words (the exception texts name pools and objects)."""
    cause = exc.args[0] if exc.args else None
    reason = cause.reason if isinstance(cause, MaxRetryError) else cause
    if isinstance(reason, NewConnectionError):  # before timeouts: urllib3 makes it a ConnectTimeoutError
        return "connection refused"
    if isinstance(exc, requests.Timeout) or isinstance(reason, TimeoutError | Urllib3Timeout):
        return "no answer in time"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the answer was cut off"
    return "the connection was dropped"


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
