"""A fake GitHub REST API on 127.0.0.1 that holds itself and its clients to GitHub's contract.

Routes are the path templates of GitHub's OpenAPI description (tests/github_openapi.py); each
request's query and body, and each answer the fake gives, is validated against that operation's
schemas. Whatever breaks the contract is kept in `fake.violations`, and the fixture fails the test
when any is left: the fake is GitHub's contract, not ours.

    with FakeGitHub(TOKEN, contract) as fake:
        fake.script("POST", r"/check-runs$", Reply(429, headers={"Retry-After": "2"}))
        ...
        assert fake.check_runs[0]["annotations"] == [...]
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

import pytest
from github_openapi import Contract, load_contract
from loopback import LoopbackServer, TrackedHandler

TOKEN = "ghs_TEST5ecretC0nnectGateT0ken9f3a7Q"  # distinctive, so a leak is easy to find
READ_ONLY = "Resource not accessible by integration"  # what a fork's token is told
BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
NOW = "2026-11-30T01:00:00Z"
DROP = 0  # a scripted status: hang up without answering


@dataclass
class Reply:
    """A scripted answer, given instead of the real one."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    operation: str  # operationId
    body: Any
    status: int


@dataclass
class _Script:
    method: str
    pattern: re.Pattern[str]
    reply: Reply
    times: int


class FakeGitHub:
    def __init__(self, token: str, contract: Contract) -> None:
        self.token = token
        self.contract = contract
        self.read_only = False  # a fork's token: every write is refused with 403
        self.base_path = ""  # GitHub Enterprise Server serves the API under /api/v3
        self.page_size_cap = 100
        self.check_runs: list[dict[str, Any]] = []
        self.comments: dict[int, list[dict[str, Any]]] = {}  # issue number → comments, oldest first
        self.seen: list[Seen] = []
        self.violations: list[str] = []
        self._ids = itertools.count(1000)
        self._scripts: list[_Script] = []
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None

    # ---- scripting and reading ------------------------------------------------------------------
    def script(self, method: str, path_regex: str, reply: Reply, times: int = 1) -> None:
        self._scripts.append(_Script(method, re.compile(path_regex), reply, times))

    def add_comment(self, issue: int, body: str, user: dict[str, Any] | None = None) -> dict[str, Any]:
        comment = self._comment(issue, body, user or BOT)
        self.comments.setdefault(issue, []).append(comment)
        return comment

    def count(self, operation: str) -> int:
        return sum(1 for s in self.seen if s.operation == operation)

    @property
    def url(self) -> str:
        assert self._server is not None
        return self._server.url

    # ---- lifecycle ------------------------------------------------------------------------------
    def __enter__(self) -> Self:
        self._server = LoopbackServer(_handler_for(self), "fake-github")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.stop()

    # ---- behaviour ------------------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        found = self.contract.operation(method, path)
        if found is None:
            self.violations.append(f"{method} {path}: no such operation in GitHub's API")
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        operation, params = found
        problems = self.contract.parameter_errors(operation, query)
        problems += self.contract.request_errors(operation, body)
        self.violations += [f"{method} {path} request: {p}" for p in problems[:5]]
        if problems:
            return (
                422,
                {"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest"},
                {},
            )
        if headers.get("authorization") != f"Bearer {self.token}":
            return (
                401,
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
                {},
            )
        for script in self._scripts:
            if script.method == method and script.pattern.search(path) and script.times > 0:
                script.times -= 1
                return script.reply.status, script.reply.body, script.reply.headers
        if self.read_only and method != "GET":
            return 403, {"message": READ_ONLY, "documentation_url": "https://docs.github.com/rest"}, {}
        handlers = {
            "checks/create": self._checks_create,
            "checks/update": self._checks_update,
            "issues/list-comments": self._issues_list_comments,
            "issues/create-comment": self._issues_create_comment,
            "issues/update-comment": self._issues_update_comment,
        }
        return handlers[operation.id](params, query, body)

    def check_answer(self, method: str, path: str, status: int, body: Any) -> None:
        found = self.contract.operation(method, path)
        if found is not None:
            problems = self.contract.response_errors(found[0], status, body)
            self.violations += [f"{method} {path} answer {status}: {p}" for p in problems[:5]]

    def _repo_url(self, params: dict[str, str]) -> str:
        return f"{self.url}/repos/{params['owner']}/{params['repo']}"

    def _check_run_body(self, run: dict[str, Any]) -> dict[str, Any]:
        output = run["output"]
        return {
            "id": run["id"],
            "node_id": f"CR_{run['id']}",
            "head_sha": run["head_sha"],
            "name": run["name"],
            "external_id": None,
            "url": f"{run['repo_url']}/check-runs/{run['id']}",
            "html_url": f"https://github.example/{run['repo']}/runs/{run['id']}",
            "details_url": run.get("details_url"),
            "status": run["status"],
            "conclusion": run.get("conclusion"),
            "started_at": NOW,
            "completed_at": NOW if run["status"] == "completed" else None,
            "output": {
                "title": output.get("title"),
                "summary": output.get("summary"),
                "text": None,
                "annotations_count": len(run["annotations"]),
                "annotations_url": f"{run['repo_url']}/check-runs/{run['id']}/annotations",
            },
            "check_suite": {"id": 5},
            "app": None,
            "pull_requests": [],
        }

    def _checks_create(
        self, params: dict[str, str], query: Any, body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        output = body.get("output") or {}
        run = {
            "id": next(self._ids),
            "repo": f"{params['owner']}/{params['repo']}",
            "repo_url": self._repo_url(params),
            "name": body["name"],
            "head_sha": body["head_sha"],
            "details_url": body.get("details_url"),
            "status": "completed" if "conclusion" in body else body.get("status", "queued"),
            "conclusion": body.get("conclusion"),
            "output": {k: v for k, v in output.items() if k != "annotations"},
            "annotations": list(output.get("annotations", [])),
        }
        self.check_runs.append(run)
        return 201, self._check_run_body(run), {}

    def _checks_update(
        self, params: dict[str, str], query: Any, body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        run = next((r for r in self.check_runs if r["id"] == int(params["check_run_id"])), None)
        if run is None:
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        output = body.get("output") or {}
        run["annotations"] += output.get("annotations", [])  # appended, as GitHub does
        run["output"].update({k: v for k, v in output.items() if k != "annotations"})
        if "conclusion" in body:
            run["status"], run["conclusion"] = "completed", body["conclusion"]
        return 200, self._check_run_body(run), {}

    def _comment(self, issue: int, body: str, user: dict[str, Any]) -> dict[str, Any]:
        comment_id = next(self._ids)
        return {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "url": f"{self.url}/repos/o/r/issues/comments/{comment_id}",
            "html_url": f"https://github.example/o/r/pull/{issue}#issuecomment-{comment_id}",
            "issue_url": f"{self.url}/repos/o/r/issues/{issue}",
            "body": body,
            "user": {
                **user,
                "node_id": "U_1",
                "avatar_url": "https://avatars.example/u/1",
                "gravatar_id": "",
                "url": f"{self.url}/users/{user['login']}",
                "html_url": f"https://github.example/{user['login']}",
                "followers_url": "",
                "following_url": "",
                "gists_url": "",
                "starred_url": "",
                "subscriptions_url": "",
                "organizations_url": "",
                "repos_url": "",
                "events_url": "",
                "received_events_url": "",
                "site_admin": False,
            },
            "author_association": "NONE",
            "created_at": NOW,
            "updated_at": NOW,
        }

    def _issues_list_comments(
        self, params: dict[str, str], query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        issue = int(params["issue_number"])
        size = min(int(query.get("per_page", "30")), self.page_size_cap)
        page = int(query.get("page", "1"))
        comments = self.comments.get(issue, [])
        chunk = comments[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(comments):
            following = f"{self._repo_url(params)}/issues/{issue}/comments?per_page={size}&page={page + 1}"
            headers["Link"] = f'<{following}>; rel="next"'
        return 200, chunk, headers

    def _issues_create_comment(
        self, params: dict[str, str], query: Any, body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        comment = self.add_comment(int(params["issue_number"]), body["body"])
        return 201, comment, {"Location": comment["url"]}

    def _issues_update_comment(
        self, params: dict[str, str], query: Any, body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        for comments in self.comments.values():
            for comment in comments:
                if comment["id"] == int(params["comment_id"]):
                    comment["body"], comment["updated_at"] = body["body"], "2026-11-30T02:00:00Z"
                    return 200, comment, {}
        return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}


def _handler_for(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(TrackedHandler):
        def answer(self, method: str) -> None:
            parts = urlsplit(self.path.removeprefix(fake.base_path))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            with fake._lock:
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    fake.violations.append(f"{method} {parts.path}: the body is not JSON")
                    body = None
                status, answer, extra = fake.handle(
                    method, parts.path, dict(parse_qsl(parts.query)), headers, body
                )
                found = fake.contract.operation(method, parts.path)
                fake.seen.append(Seen(method, parts.path, found[0].id if found else "?", body, status))
                if status == DROP:
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                fake.check_answer(method, parts.path, status, answer)
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-ratelimit-limit", "5000")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture(scope="session", name="github_contract")
def github_contract_fixture() -> Contract:
    return load_contract()


@pytest.fixture(name="github")
def github_fixture(github_contract: Contract) -> Iterator[FakeGitHub]:
    """A running fake GitHub API; the test fails if the gate or the fake broke GitHub's contract."""
    with FakeGitHub(TOKEN, github_contract) as server:
        yield server
    assert server.violations == []
