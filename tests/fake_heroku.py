"""A fake Heroku Connect + Platform API: a real HTTP server on 127.0.0.1, scriptable per test.

One server plays the three hosts the gate talks to (the discovery server, the connection's
region, the Platform API), so a test points `CONNECT_DISCOVERY_SERVER` and `HEROKU_API_URL` at
`fake.url`. Payloads follow the Heroku Connect API (https://devcenter.heroku.com/articles/heroku-connect-api)
and the Platform API reference (https://devcenter.heroku.com/articles/platform-api-reference).

    with FakeHeroku(api_key=KEY) as fake:
        fake.add_connection(seed_connection())
        fake.script("GET", "/connections", Fault.status(503), times=2)
        ...
        assert fake.count("GET", "/api/v3/validations/") == 3

Leaving the `with` block stops the server, closes every client socket and joins every thread.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import pytest
from loopback import LoopbackServer, TrackedHandler

from connect_gate.clock import SYSTEM_CLOCK, Clock
from connect_gate.heroku.live import LiveParams
from connect_gate.heroku.validations import PollPlan


@dataclass
class Fault:
    """One scripted misbehaviour, answered instead of the real response."""

    kind: str  # "status", "reset" (close before answering), "truncate" (close mid-body), "garbage",
    # "silent" (never answer, until the server stops), "trickle" (the real answer, a byte a second),
    # "flood" (a chunked body that never ends, sent as fast as the client reads it)
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def http(cls, status: int, body: str = "", headers: dict[str, str] | None = None) -> Fault:
        return cls("status", status, body, headers or {})

    @classmethod
    def rate_limited(cls, retry_after: float) -> Fault:
        body = json.dumps({"id": "rate_limit", "message": "Your account reached the API rate limit"})
        return cls("status", 429, body, {"Retry-After": f"{retry_after:g}"})

    @classmethod
    def reset(cls) -> Fault:
        return cls("reset")

    @classmethod
    def truncate(cls) -> Fault:
        return cls("truncate")

    @classmethod
    def silent(cls) -> Fault:
        return cls("silent")

    @classmethod
    def trickle(cls) -> Fault:
        return cls("trickle")

    @classmethod
    def flood(cls) -> Fault:
        return cls("flood")

    @classmethod
    def garbage(cls) -> Fault:
        return cls("garbage", 200, "<html><body>Application error</body></html>")


@dataclass
class _Script:
    method: str
    pattern: re.Pattern[str]
    fault: Fault
    times: int | None  # None: forever


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float  # fake.clock.monotonic()


@dataclass(frozen=True)
class ServedResponse:
    method: str
    path: str
    status: int
    body: Any


@dataclass
class FakeMapping:
    object_name: str
    state: str = "DATA_SYNCED"
    later_state: str | None = None  # the state after `change_after` seconds from server start
    change_after: float = 0.0
    id: str = ""
    access: str = "read_write"


@dataclass
class FakeConnection:
    """A Heroku Connect connection and what its endpoints answer."""

    name: str
    app_name: str
    id: str = ""
    resource_name: str = "herokuconnect-shallow-12345"
    state: str = "IDLE"
    schema_name: str = "salesforce"
    db_key: str = "DATABASE_URL"
    api_version: str = "55.0"
    mappings: list[FakeMapping] = field(default_factory=list)
    results: Any = field(default_factory=dict)  # the validations' result payload
    pending_polls: int = 0  # answers of 202 before the 200
    ready_after: float = 0.0  # seconds after the POST .../validations before results are ready
    write_errors: list[dict[str, Any]] = field(default_factory=list)
    needs_auth: bool = False  # invisible to discovery until POST /auth/<app>
    export: Any = None


@dataclass
class FakeReviewApp:
    """A review app whose status follows `timeline`: (seconds from server start, status)."""

    pr_number: int | None
    branch: str
    app_name: str
    timeline: list[tuple[float, str]] = field(default_factory=lambda: [(0.0, "created")])
    message: str | None = None  # Heroku's message once errored
    id: str = ""
    listed_after: float = 0.0  # seconds from server start before the pipeline lists it


class FakeHeroku:
    """The fake server and its scripted state. Use it as a context manager."""

    def __init__(self, api_key: str, latency: float = 0.0, clock: Clock = SYSTEM_CLOCK) -> None:
        self.api_key = api_key
        self.clock = clock  # the timelines and readiness read it; give the gate the same one
        self.latency = latency  # added before every answer
        self.connections: list[FakeConnection] = []
        self.review_apps: dict[str, list[FakeReviewApp]] = {}  # pipeline name → apps
        self.pipelines: dict[str, str] = {}  # pipeline name → id
        self.config_vars: dict[str, dict[str, str]] = {}  # app name → vars
        self.page_size = 200  # review apps per page unless the client's Range asks for fewer
        self.requests: list[RecordedRequest] = []
        self.responses: list[ServedResponse] = []  # every unscripted answer, for the contract tests
        self.ready_at: dict[str, float] = {}  # validation token → when its results are ready (monotonic)
        self._scripts: list[_Script] = []
        self._validations: dict[str, tuple[FakeConnection, float, list[int]]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # wakes silent and trickling answers when the server stops
        self._server: LoopbackServer | None = None
        self.started_at = 0.0

    # ---- scripting ------------------------------------------------------------------------------
    def add_connection(self, connection: FakeConnection) -> FakeConnection:
        # Numbers, as the official plugin types a connection's id (`id: number`, src/lib/connect/api.ts)
        connection.id = connection.id or str(5021 + len(self.connections))
        for index, mapping in enumerate(connection.mappings):
            mapping.id = mapping.id or f"{connection.id[:8]}-m{index}"
        self.connections.append(connection)
        return connection

    def add_review_app(self, pipeline: str, review_app: FakeReviewApp) -> FakeReviewApp:
        """Add a review app to the pipeline named `pipeline`, which gets an id the first time."""
        self.pipelines.setdefault(pipeline, f"9e11e000-0000-4000-8000-{len(self.pipelines):012d}")
        apps = self.review_apps.setdefault(pipeline, [])
        review_app.id = review_app.id or f"2e71ea00-0000-4000-8000-{len(apps):012d}"
        apps.append(review_app)
        return review_app

    def script(self, method: str, path_regex: str, fault: Fault, times: int | None = 1) -> None:
        """Answer the next `times` matching requests (None: all of them) with `fault`."""
        with self._lock:
            self._scripts.append(_Script(method, re.compile(path_regex), fault, times))

    def count(self, method: str, path_prefix: str = "") -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.method == method and r.path.startswith(path_prefix))

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake server is not running"
        return self._server.url

    # ---- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> Self:
        self.started_at = self.clock.monotonic()
        self._server = LoopbackServer(_handler_for(self), "fake-heroku")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._server is None:
            return
        self._stopping.set()
        self._server.stop()
        self._server = None

    # ---- behaviour ------------------------------------------------------------------------------
    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for script in self._scripts:
                if script.method == method and script.pattern.search(path) and script.times != 0:
                    if script.times is not None:
                        script.times -= 1
                    return script.fault
        return None

    def _elapsed(self) -> float:
        return self.clock.monotonic() - self.started_at

    # Platform API routes, written as Heroku's schema writes them (`{pipeline_id}` takes the id
    # only, `{pipeline_id_or_name}` either): tests/test_heroku_platform_contract.py checks each one
    # against Heroku's published routes, and every body served against Heroku's definitions.
    PLATFORM_ROUTES = (
        ("GET", "/pipelines/{pipeline_id_or_name}", "_pipeline"),
        ("GET", "/pipelines/{pipeline_id}/review-apps", "_review_apps"),
        ("GET", "/apps/{app_id_or_name}", "_app"),
        ("GET", "/apps/{app_id_or_name}/config-vars", "_config_vars"),
    )
    CONNECT_ROUTES = (
        ("GET", "/connections", "_discovery"),
        ("POST", "/auth/{app}", "_auth"),
        ("GET", "/api/v3/connections/{id}", "_detail"),
        ("POST", "/api/v3/connections/{id}/validations", "_start_validations"),
        ("GET", "/api/v3/validations/{token}", "_validation_result"),
        ("GET", "/api/v3/connections/{id}/errors", "_errors"),
        ("GET", "/api/v3/connections/{id}/actions/export", "_export"),
    )

    def route(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str] | None = None
    ) -> tuple[int, Any, dict[str, str]]:
        """The real answer: (status, JSON-able body or None, headers). Unknown routes answer 404."""
        for route_method, template, handler in self.PLATFORM_ROUTES + self.CONNECT_ROUTES:
            match = _template_regex(template).match(path)
            if match and route_method == method:
                answer: tuple[int, Any, dict[str, str]] = getattr(self, handler)(
                    query=query, headers=headers or {}, **match.groupdict()
                )
                return answer
        return 404, {"id": "not_found", "message": f"No route {method} {path}"}, {}

    def _connection(self, id: str) -> FakeConnection | None:
        return next((c for c in self.connections if c.id == id), None)

    def _summary(self, c: FakeConnection) -> dict[str, Any]:
        return {
            "id": int(c.id) if c.id.isdigit() else c.id,  # a JSON number unless a test says otherwise
            "name": c.name,
            "resource_name": c.resource_name,
            "app_name": c.app_name,
            "region_url": self.url,
            "detail_url": f"{self.url}/api/v3/connections/{c.id}",
        }

    def _discovery(
        self, query: dict[str, list[str]], headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        app = query.get("app", [""])[0]
        resource = query.get("resource_name", [None])[0]
        found = [
            self._summary(c)
            for c in self.connections
            if c.app_name == app and not c.needs_auth and resource in (None, c.resource_name)
        ]
        return 200, {"count": len(found), "results": found}, {}

    def _auth(
        self, query: dict[str, list[str]], headers: dict[str, str], app: str
    ) -> tuple[int, Any, dict[str, str]]:
        for connection in self.connections:
            if connection.app_name == app:
                connection.needs_auth = False
        return 200, {}, {}

    def _mapping_state(self, m: FakeMapping) -> str:
        return m.later_state if m.later_state and self._elapsed() >= m.change_after else m.state

    def _detail(
        self, query: dict[str, list[str]], headers: dict[str, str], id: str
    ) -> tuple[int, Any, dict[str, str]]:
        c = self._connection(id)
        if c is None:
            return 404, {"id": "not_found", "message": "Connection not found"}, {}
        body = {
            **self._summary(c),
            "internal_name": f"{c.app_name}:{c.db_key}:{c.schema_name}",
            "schema_name": c.schema_name,
            "db_key": c.db_key,
            "state": c.state,
            "plan": "demo",
            "logplex_log_enabled": False,
            "sf_info": {"api_version": c.api_version},
        }
        if query.get("deep") == ["true"]:
            body["mappings"] = [
                {
                    "id": m.id,
                    "object_name": m.object_name,
                    "state": self._mapping_state(m),
                    "config": {"access": m.access, "fields": {"Id": {}, "SystemModstamp": {}}},
                }
                for m in c.mappings
            ]
        return 200, body, {}

    def _start_validations(
        self, query: dict[str, list[str]], headers: dict[str, str], id: str
    ) -> tuple[int, Any, dict[str, str]]:
        c = self._connection(id)
        if c is None:
            return 404, {"id": "not_found", "message": "Connection not found"}, {}
        with self._lock:
            token = f"v{len(self._validations)}-{c.id}"
            self._validations[token] = (c, self.clock.monotonic() + c.ready_after, [c.pending_polls])
            self.ready_at[token] = self.clock.monotonic() + c.ready_after
        return 202, {"result_url": f"{self.url}/api/v3/validations/{token}"}, {}

    def _validation_result(
        self, query: dict[str, list[str]], headers: dict[str, str], token: str
    ) -> tuple[int, Any, dict[str, str]]:
        if token not in self._validations:
            return 404, {"id": "not_found", "message": "Validation not found"}, {}
        connection, ready_at, polls_left = self._validations[token]
        with self._lock:
            if polls_left[0] > 0:
                polls_left[0] -= 1
                return 202, None, {}
        if self.clock.monotonic() < ready_at:
            return 202, None, {}
        return 200, connection.results, {}

    def _errors(
        self, query: dict[str, list[str]], headers: dict[str, str], id: str
    ) -> tuple[int, Any, dict[str, str]]:
        c = self._connection(id)
        if c is None:
            return 404, {"id": "not_found", "message": "Connection not found"}, {}
        return 200, {"count": len(c.write_errors), "results": c.write_errors}, {}

    def _export(
        self, query: dict[str, list[str]], headers: dict[str, str], id: str
    ) -> tuple[int, Any, dict[str, str]]:
        c = self._connection(id)
        if c is None:
            return 404, {"id": "not_found", "message": "Connection not found"}, {}
        return 200, c.export or {"version": 1, "connection": {"app_name": c.app_name}, "mappings": []}, {}

    def _review_app_status(self, review_app: FakeReviewApp) -> str:
        status = review_app.timeline[0][1]
        for after, later in review_app.timeline:
            if self._elapsed() >= after:
                status = later
        return status

    def _pipeline_of(self, review_app: FakeReviewApp) -> str:
        return next(self.pipelines[name] for name, apps in self.review_apps.items() if review_app in apps)

    def _review_app_body(self, review_app: FakeReviewApp) -> dict[str, Any]:
        status = self._review_app_status(review_app)
        return {
            "id": review_app.id,
            "pipeline": {"id": self._pipeline_of(review_app)},
            "app": None if status == "pending" else {"id": f"app-id-{review_app.app_name}"},
            "branch": review_app.branch,
            "pr_number": review_app.pr_number,
            "status": status,
            "error_status": "build_failed" if status == "errored" else None,
            "message": review_app.message if status == "errored" else None,
            "created_at": "2026-11-27T15:00:00Z",
            "updated_at": "2026-11-27T15:01:00Z",
        }

    def _pipeline(
        self, query: dict[str, list[str]], headers: dict[str, str], pipeline_id_or_name: str
    ) -> tuple[int, Any, dict[str, str]]:
        name = self._pipeline_name(pipeline_id_or_name, by_name=True)
        if name is None:
            return 404, {"id": "not_found", "message": "Couldn't find that pipeline."}, {}
        body = {
            "id": self.pipelines[name],
            "name": name,
            "created_at": "2026-11-01T10:00:00Z",
            "updated_at": "2026-11-01T10:00:00Z",
        }
        return 200, body, {}

    def _pipeline_name(self, identifier: str, by_name: bool) -> str | None:
        """The pipeline's name from its id (or also from its name, where the route accepts both)."""
        for name, pipeline_id in self.pipelines.items():
            if identifier == pipeline_id or (by_name and identifier == name):
                return name
        return None

    def _review_apps(
        self, query: dict[str, list[str]], headers: dict[str, str], pipeline_id: str
    ) -> tuple[int, Any, dict[str, str]]:
        pipeline = self._pipeline_name(pipeline_id, by_name=False)  # the id only, as Heroku's schema says
        if pipeline is None:
            return 404, {"id": "not_found", "message": "Couldn't find that pipeline."}, {}
        apps = sorted(
            (a for a in self.review_apps[pipeline] if self._elapsed() >= a.listed_after), key=lambda a: a.id
        )
        start, size = _parse_range(headers.get("Range", ""), self.page_size)
        remaining = [a for a in apps if start is None or a.id > start]
        page = remaining[:size]
        body = [self._review_app_body(a) for a in page]
        if len(remaining) > size:
            return 206, body, {"Next-Range": f"id ]{page[-1].id}..; max={size}"}
        return 200, body, {}

    def _find_app(self, app: str) -> FakeReviewApp | None:
        for apps in self.review_apps.values():
            for review_app in apps:
                if app in (review_app.app_name, f"app-id-{review_app.app_name}"):
                    return review_app
        return None

    def _app(
        self, query: dict[str, list[str]], headers: dict[str, str], app_id_or_name: str
    ) -> tuple[int, Any, dict[str, str]]:
        app = app_id_or_name
        review_app = self._find_app(app)
        if review_app is None and app not in self.config_vars:
            return 404, {"id": "not_found", "message": "Couldn't find that app."}, {}
        name = review_app.app_name if review_app else app
        return 200, {"id": f"app-id-{name}", "name": name}, {}

    def _config_vars(
        self, query: dict[str, list[str]], headers: dict[str, str], app_id_or_name: str
    ) -> tuple[int, Any, dict[str, str]]:
        app = app_id_or_name
        review_app = self._find_app(app)
        name = review_app.app_name if review_app else app
        if name not in self.config_vars:
            return 404, {"id": "not_found", "message": "Couldn't find that app."}, {}
        return 200, self.config_vars[name], {}


def _template_regex(template: str) -> re.Pattern[str]:
    """`/apps/{app_id_or_name}` → a regex with one named group per `{parameter}`."""
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{pattern}$")


def _parse_range(header: str, default_size: int) -> tuple[str | None, int]:
    """`id ]abc..; max=2` → ("abc", 2); `id ..; max=2` → (None, 2)."""
    match = re.match(r"id\s+(?:\](?P<start>[^.]+))?\.\.(?:;\s*max=(?P<max>\d+))?", header.strip())
    if not match:
        return None, default_size
    size = int(match.group("max")) if match.group("max") else default_size
    return match.group("start"), min(size, default_size)


def _handler_for(fake: FakeHeroku) -> type[BaseHTTPRequestHandler]:
    class Handler(TrackedHandler):
        def answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            with fake._lock:
                fake.requests.append(
                    RecordedRequest(
                        method, parts.path, parse_qs(parts.query), dict(self.headers), fake.clock.monotonic()
                    )
                )
            if fake.latency:
                time.sleep(fake.latency)
            fault = fake._take_fault(method, parts.path)
            if fault is not None and fault.delay:
                time.sleep(fault.delay)
            if fault is not None and fault.kind == "reset":
                self._drop()
                return
            if fault is not None and fault.kind == "silent":
                fake._stopping.wait()
                self._drop()
                return
            if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                self._send(
                    401, json.dumps({"id": "unauthorized", "message": "Invalid credentials provided."})
                )
                return
            if fault is not None and fault.kind == "status":
                self._send(fault.status, fault.body, fault.headers)
                return
            if fault is not None and fault.kind == "flood":
                self._send_flood()
                return
            if fault is not None and fault.kind == "garbage":
                self._send(200, fault.body, {"Content-Type": "application/json"})
                return
            query = parse_qs(parts.query)
            status, body, headers = fake.route(method, parts.path, query, dict(self.headers))
            with fake._lock:
                fake.responses.append(ServedResponse(method, parts.path, status, body))
            text = "" if body is None else json.dumps(body)
            if fault is not None and fault.kind == "truncate":
                self._send_truncated(status, text)
                return
            if fault is not None and fault.kind == "trickle":
                self._send_trickled(status, text)
                return
            self._send(status, text, headers)

        def _send(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _send_truncated(self, status: int, text: str) -> None:
            """Promise the whole body, send a third of it, then drop the connection."""
            data = text.encode() or b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data) + 100))
            self.end_headers()
            self.wfile.write(data[: len(data) // 3])
            self.wfile.flush()
            self._drop()

        def _send_trickled(self, status: int, text: str) -> None:
            """The whole answer, honestly announced, one byte a second until the server stops."""
            data = text.encode() or b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.flush()
            for index in range(len(data)):
                if fake._stopping.wait(1.0):
                    break
                with contextlib.suppress(OSError):
                    self.wfile.write(data[index : index + 1])
                    self.wfile.flush()
            self._drop()

        def _send_flood(self) -> None:
            """A JSON string that never ends, in 1 MiB chunks, no length announced, until the client
            hangs up or the server stops."""
            chunk = b"a" * (1024 * 1024)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(b'1\r\n"\r\n')
                while not fake._stopping.is_set():
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self._drop()

        def _drop(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    return Handler


# ---- the seed: `heroku connect:diagnose` of protected-ridge-4963, as the blog post prints it ------

SEED_RESULTS_FILE = (
    Path(__file__).resolve().parent.parent / "examples" / "diagnostics" / "protected-ridge-4963.json"
)


def seed_connection(**changes: Any) -> FakeConnection:
    """The blog post's connection: one read-write mapping (Account) without a unique identifier."""
    values: dict[str, Any] = {
        "name": "protected-ridge-4963",
        "app_name": "protected-ridge-4963",
        "mappings": [FakeMapping("Account")],
        "results": json.loads(SEED_RESULTS_FILE.read_text(encoding="utf-8")),
    }
    values.update(changes)
    return FakeConnection(**values)


API_KEY = "hk-TEST-5ecret-c0nnect-gate-9f3a7Q"  # distinctive, so a leak is easy to find


class SteppingClock:
    """The real clock, except that `sleep` moves the hands instead of waiting (and is recorded).

    The fake server and the gate share it, so a review app that takes minutes is created at once.
    """

    def __init__(self) -> None:
        self.offset = 0.0
        self.slept: list[float] = []
        self.clock = Clock(monotonic=self.monotonic, sleep=self.sleep)

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.offset += seconds


@pytest.fixture(name="fake")
def fake_fixture() -> Iterator[FakeHeroku]:
    """A running fake server that knows API_KEY, on a stepping clock (`fake.clock`: pass it to the
    gate run in the test's process); stopped after the test, which leaves no thread behind."""
    with FakeHeroku(API_KEY, clock=SteppingClock().clock) as server:
        yield server
    assert server_threads() == []


def server_threads() -> list[str]:
    """Names of the fake server's threads still alive (its loop, or one per client connection)."""
    return [t.name for t in threading.enumerate() if t.name == "fake-heroku" or "process_request" in t.name]


FAST = PollPlan(first=0.05, factor=1.5, cap=0.2)  # polling for tests: same shape, a tenth of the time


def live_params(fake: FakeHeroku, **changes: Any) -> LiveParams:
    """LiveParams aimed at the fake server (both APIs), with fast polling and short deadlines."""
    values: dict[str, Any] = {
        "api_key": API_KEY,
        "platform_url": fake.url,
        "discovery_url": fake.url,
        "timeout": 5.0,
        "review_app_timeout": 5.0,
        "diagnostics_polling": FAST,
        "review_app_polling": FAST,
        "mappings_polling": FAST,
        "clock": fake.clock,
    }
    values.update(changes)
    return LiveParams(**values)
