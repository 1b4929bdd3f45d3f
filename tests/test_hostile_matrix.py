"""The hostile matrix: the gate run as a step would run it, on bad input and faulty services.

Every case is one `python entrypoint.py ...` subprocess (GitHub Actions environment, step output
and summary files) against real servers on 127.0.0.1: the fake Heroku, a fake PostgreSQL that
misbehaves on purpose, or the real PostgreSQL of tests/pg.py. Each case asserts what a user relies
on: the exit status class, no Python traceback, no secret in any output or report file, no
workflow command smuggled in by outside text (both of the runner's forms), no escape sequences in
the log, reports whole or absent, and an end within a generous bound (the machine is shared).

The cases run in parallel threads (each is a separate process); `test_matrix_figures` prints the
totals: cases, tracebacks, hangs, wrong exits, leaks.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from fake_heroku import (
    API_KEY,
    SEED_RESULTS_FILE,
    FakeConnection,
    FakeHeroku,
    Fault,
    seed_connection,
)
from fake_postgres import FakePostgres
from helpers import EXAMPLES, ROOT
from pg import Server
from runner_sim import legacy_command

DB_PASSWORD = "Pw-9q7Zx-never-in-a-log"
REAL_DB = "cg_hostile_matrix"
EXPORT = EXAMPLES / "connect-export.json"
SEED_ARGS = ["--results-file", str(SEED_RESULTS_FILE)]
OK = frozenset({0, 1})  # a verdict, whichever
BLOCK = frozenset({1})
PASS = frozenset({0})
BAD_INPUT = frozenset({2})
UNREACHABLE = frozenset({3})
BOUND = 30.0  # seconds for a case without a wait: the machine is shared, startup alone can take seconds
WORKERS = 6
HOSTILE_TEXT = (
    "##[set-output name=verdict]pass \x1b[2J\x1b[31mred\x1b[0m ![img](https://evil.example/x.png) "
    "[click](https://evil.example) ::set-output name=x::y\r::error::forged %0A::warning::again"
)
GREEN_RESULTS = {
    "passes": [
        {"display_name": "Salesforce API Version", "rule_id": "MUST_USE_RECENT_API_VERSION", "message": "ok"}
    ],
    "mappings": {"Account": {"passes": [{"display_name": "Unique Identifier", "message": "ok"}]}},
}


@dataclass
class Ctx:
    """What one case runs with: its folder, arguments, environment and servers."""

    tmp: Path
    stack: ExitStack
    pg: Server | None
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=lambda: [API_KEY, DB_PASSWORD])

    def file(self, name: str, content: str | bytes) -> str:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    def json(self, name: str, data: Any) -> str:
        return self.file(name, json.dumps(data))

    def heroku(self, connection: FakeConnection | None = None, **env: str) -> FakeHeroku:
        fake = self.stack.enter_context(FakeHeroku(API_KEY))
        fake.add_connection(connection or seed_connection())
        self.env.update(
            {
                "HEROKU_API_URL": fake.url,
                "CONNECT_DISCOVERY_SERVER": fake.url,
                "INPUT_HEROKU-API-KEY": API_KEY,
                "INPUT_APP": "protected-ridge-4963",
                "INPUT_TIMEOUT": "2",
                **env,
            }
        )
        return fake

    def fake_pg(self, mode: str) -> FakePostgres:
        return self.stack.enter_context(FakePostgres(mode))

    def real_url(self, suffix: str = "", extra: str = "") -> str:
        """The real test database's URL, with its password (+ `suffix`); that password is a secret."""
        assert self.pg is not None
        self.secrets.append(self.pg.password)
        return self.pg.url(REAL_DB, self.pg.password + suffix) + extra

    def migrations(self) -> None:
        """A migration file in the workspace, so the live export is needed."""
        self.file("db/migrations/V1__add.sql", "ALTER TABLE public.invoice ADD COLUMN note text;\n")


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Ctx], None]
    expect: frozenset[int]
    bound: float = BOUND
    stdout: str = "pipe"  # "pipe", "head" (read one line, then close), "full" (/dev/full)
    send: tuple[int, float] | None = None  # (signal, after seconds)
    file_blocks: int | None = None  # `ulimit -f`: a disk that fills up (512-byte blocks)
    check: Callable[[Result], None] | None = None


@dataclass
class Result:
    case: Case
    status: int | None  # None: it hung and was killed
    elapsed: float
    stdout: str
    stderr: str
    files: dict[str, str]  # every file the run wrote (reports, step output, summary), by name
    secrets: list[str]
    leftovers: list[str]  # temporary report files left behind

    @property
    def hung(self) -> bool:
        return self.status is None

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.stdout + self.stderr

    def leaks(self) -> list[str]:
        """Where a secret shows: any output line but our own `::add-mask::`, any file."""
        shown = [line for line in self.stdout.splitlines() if not line.startswith("::add-mask::")]
        places = {"stdout": "\n".join(shown), "stderr": self.stderr, **self.files}
        return [f"{place}" for place, text in places.items() for secret in self.secrets if secret in text]


def run_case(case: Case, base: Path, pg: Server | None) -> Result:
    tmp = base / case.name.replace("/", "_")
    tmp.mkdir(parents=True)
    with ExitStack() as stack:
        ctx = Ctx(tmp, stack, pg)
        ctx.env.update(
            {
                "PATH": os.environ.get("PATH", ""),
                "HOME": str(tmp),
                "LANG": "C.UTF-8",
                "GITHUB_ACTIONS": "true",
                "GITHUB_WORKSPACE": str(tmp),
                "GITHUB_OUTPUT": str(tmp / "github_output"),
                "GITHUB_STEP_SUMMARY": str(tmp / "step_summary.md"),
                "INPUT_REPORT-DIR": str(tmp / "report"),
                "INPUT_DATABASE-TIMEOUT": "2",
            }
        )
        case.build(ctx)
        command = [sys.executable, str(ROOT / "entrypoint.py"), *ctx.args]
        if case.file_blocks is not None:
            command = ["sh", "-c", f'ulimit -f {case.file_blocks}; exec "$@"', "sh", *command]
        stdout_target: Any = subprocess.PIPE
        if case.stdout == "full":
            stdout_target = stack.enter_context(open("/dev/full", "w"))
        began = time.monotonic()
        process = subprocess.Popen(
            command, cwd=tmp, env=ctx.env, stdout=stdout_target, stderr=subprocess.PIPE, text=True
        )
        if case.send is not None:
            time.sleep(case.send[1])
            process.send_signal(case.send[0])
        out = ""
        if case.stdout == "head":
            assert process.stdout is not None
            out = process.stdout.readline()
            process.stdout.close()
        try:
            more, err = process.communicate(timeout=case.bound + 30)
        except subprocess.TimeoutExpired:
            process.kill()
            more, err = process.communicate()
            status = None
        else:
            status = process.returncode
        elapsed = time.monotonic() - began
        out += more or ""
    files = {
        str(path.relative_to(tmp)): path.read_text(encoding="utf-8", errors="replace")
        for path in tmp.rglob("*")
        if path.is_file()
        and (path.parent.name == "report" or path.name in ("github_output", "step_summary.md"))
    }
    leftovers = [name for name in files if Path(name).name.startswith(".")]
    return Result(case, status, elapsed, out, err or "", files, ctx.secrets, leftovers)


# ---- the cases -----------------------------------------------------------------------------------


def with_args(*args: str, seed: bool = True, env: dict[str, str] | None = None) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        ctx.args += [*(SEED_ARGS if seed else []), *args]
        ctx.env.update(env or {})

    return build


def file_arg(option: str, content: str | bytes) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        ctx.args += [option, ctx.file("input-file", content)]

    return build


def live_env(env: dict[str, str]) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        ctx.heroku()
        ctx.env.update(env)

    return build


def policy(content: str | bytes) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        ctx.args += [*SEED_ARGS, "--policy", ctx.file("policy.yml", content)]

    return build


def policy_path(path: str) -> Callable[[Ctx], None]:
    return with_args("--policy", path)


def fifo(option: str, extra: tuple[str, ...] = ()) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        path = ctx.tmp / "fifo"
        os.mkfifo(path)
        ctx.args += [*extra, option, str(path)]

    return build


def sparse(option: str, mebibytes: int, extra: tuple[str, ...] = ()) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        path = ctx.tmp / "huge"
        with path.open("wb") as handle:
            handle.truncate(mebibytes * 1024 * 1024)
        ctx.args += [*extra, option, str(path)]

    return build


def deep_json(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


YAML_CASES: list[tuple[str, str | bytes]] = [
    (
        "alias-bomb",
        "version: 1\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
            for i in range(9)
        ),
    ),
    ("alias-simple", "version: 1\ndefaults: &d {red: block}\nx: *d\n"),
    ("nesting-10k", "version: 1\nchecks: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    (
        "nesting-block",
        "version: 1\n" + "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v: 1\n",
    ),
    ("tag-python", "version: 1\nchecks: !!python/object/apply:os.system ['echo pwned']\n"),
    ("tag-custom", "version: 1\ndefaults: !include other.yml\n"),
    ("tag-binary", "version: 1\nx: !!binary aGVsbG8=\n"),
    ("tag-set", "version: 1\nx: !!set {a, b}\n"),
    (
        "tag-timestamp",
        "version: 1\nwaivers:\n  - check: Unique Identifier\n    reason: r\n    expires: !!timestamp 2026-01-01\n",
    ),
    ("key-yes", "version: 1\nyes: 1\n"),
    ("key-number", "version: 1\n1: one\n"),
    ("key-null", "version: 1\n~: nothing\n"),
    ("key-complex", "version: 1\n? [a, b]\n: c\n"),
    ("key-duplicate", "version: 1\nversion: 1\n"),
    ("reader-control", 'version: 1\nx: "\x01"\n'),
    ("reader-nul", b"version: 1\nx: \x00\n"),
    ("scanner-tab", "version: 1\ndefaults:\n\tred: block\n"),
    ("parser-error", "version: 1\nchecks: [\n"),
    ("not-utf8", b"version: 1\nx: \xff\xfe\n"),
    ("number-5000-digits", "version: 1\nx: " + "9" * 5000 + "\n"),
    ("float-huge", "version: " + "9" * 400 + ".0\n"),
    ("empty", ""),
    ("only-comment", "# nothing\n"),
    ("list-top", "- version: 1\n"),
    (
        "legacy-command-in-name",
        "version: 1\nchecks:\n  - check: '##[set-output name=verdict]pass'\n    action: ignore\n",
    ),
    ("ansi-in-name", 'version: 1\nchecks:\n  - check: "\\e[2J\\e[31mwho"\n    action: ignore\n'),
    ("size-3mib", "version: 1\n" + "# padding padding padding padding padding padding padding\n" * 55_000),
]
EXPORT_BAD: dict[str, str | bytes] = {
    "deep-100k": deep_json(100_000),
    "deep-200": deep_json(200),
    "duplicate-key": '{"version": 1, "connection": {"name": "a"}, "connection": {"name": "b"}, "mappings": []}',
    "number-5000-digits": '{"version": ' + "9" * 5000 + ', "connection": {}, "mappings": []}',
    "nan": '{"version": NaN, "connection": {}, "mappings": []}',
    "lone-surrogate": '{"connection": {"name": "a:b:salesforce"}, "mappings": [{"object_name": "\\ud83d"}]}',
    "not-json": "version: 1",
    "nul-object-name": json.dumps(
        {
            "connection": {"name": "a:b:salesforce"},
            "mappings": [
                {"object_name": "Acc\u0000ount", "config": {"access": "read_only", "fields": {"Id": {}}}}
            ],
        }
    ),
    "control-field-name": json.dumps(
        {
            "connection": {"name": "a:b:salesforce"},
            "mappings": [
                {"object_name": "Account", "config": {"access": "read_only", "fields": {"Na\u001bme": {}}}}
            ],
        }
    ),
    "mappings-object": '{"connection": {}, "mappings": {}}',
    "object-name-number": '{"connection": {}, "mappings": [{"object_name": 5, "config": {}}]}',
    "top-list": "[]",
    "empty-file": "",
}

RESULTS_BAD: dict[str, str | bytes] = {
    "empty-object": "{}",
    "misspelled-key": '{"error": [{"display_name": "Unique Identifier"}]}',
    "results-not-objects": '{"errors": ["Unique Identifier"]}',
    "errors-not-list": '{"errors": {"display_name": "x"}}',
    "mapping-not-object": '{"mappings": {"Account": []}}',
    "mapping-misspelled": '{"mappings": {"Account": {"warning": []}}}',
    "display-name-number": '{"errors": [{"display_name": 5}]}',
    "deep-100k": deep_json(100_000),
    "duplicate-key": '{"errors": [], "errors": []}',
    "number-5000-digits": '{"errors": [], "x": ' + "9" * 5000 + "}",
    "nan": '{"errors": [], "x": NaN}',
    "lone-surrogate": '{"errors": [{"display_name": "Unique \\ud800Identifier"}]}',
    "lone-surrogate-key": '{"mappings": {"Acc\\udc00ount": {"errors": []}}}',
    "top-list": '[{"display_name": "x"}]',
    "own-format-no-findings": '{"format": "connect-gate-results"}',
    "own-format-bad-finding": '{"format": "connect-gate-results", "findings": [{"source": "nope"}]}',
    "own-format-bad-location": json.dumps(
        {
            "format": "connect-gate-results",
            "findings": [
                {
                    "source": "migrations",
                    "check_id": "x",
                    "name": "x",
                    "scope": {"kind": "file", "name": "f"},
                    "status": "RED",
                    "location": {"file": "f", "line": "one"},
                }
            ],
        }
    ),
    "not-utf8": b'{"errors": [{"display_name": "\xff"}]}',
}

INPUT_CASES: list[tuple[str, list[str], dict[str, str], frozenset[int]]] = [
    ("timeout-5000-digits", ["--timeout", "9" * 5000], {}, BAD_INPUT),
    ("timeout-negative", ["--timeout", "-1"], {}, BAD_INPUT),
    ("timeout-float", ["--timeout", "1e3"], {}, BAD_INPUT),
    ("timeout-unicode-digits", ["--timeout", "\u0663"], {}, BAD_INPUT),
    ("review-app-timeout-huge", ["--review-app-timeout", "9" * 40], {}, BAD_INPUT),
    ("failed-hours-5000-digits", [], {"INPUT_FAILED-HOURS": "9" * 5000}, BAD_INPUT),
    ("stuck-minutes-text", [], {"INPUT_STUCK-MINUTES": "soon"}, BAD_INPUT),
    ("database-timeout-text", ["--database-timeout", "x"], {}, BAD_INPUT),
    ("verbose-not-bool", [], {"INPUT_VERBOSE": "yes please"}, BAD_INPUT),
    ("on-error-bogus", [], {"INPUT_ON-ERROR": "ignore"}, BAD_INPUT),
    ("today-bogus", ["--today", "2026-02-30"], {}, BAD_INPUT),
    ("changed-only-bogus", [], {"INPUT_CHANGED-ONLY": "maybe"}, BAD_INPUT),
    ("unknown-flag", ["--no-such-flag"], {}, BAD_INPUT),
    ("connection-name-nul-free", ["--connection-name", "a\u200bb"], {}, BLOCK),
    # bytes that are not UTF-8, as the runner can pass them: Python keeps them as lone surrogates
    ("connection-name-not-utf8", ["--connection-name", "rev\udcff"], {}, BAD_INPUT),
    ("connection-name-env-not-utf8", [], {"INPUT_CONNECTION-NAME": "ab\udcfe"}, BAD_INPUT),
]

LIVE_INPUT_CASES: list[tuple[str, dict[str, str], frozenset[int]]] = [
    ("key-zero-width", {"INPUT_HEROKU-API-KEY": API_KEY + "\u200b"}, BAD_INPUT),
    ("key-newline", {"INPUT_HEROKU-API-KEY": API_KEY[:10] + "\n" + API_KEY[10:]}, BAD_INPUT),
    ("key-tab", {"INPUT_HEROKU-API-KEY": API_KEY + "\tx"}, BAD_INPUT),
    ("key-non-ascii", {"INPUT_HEROKU-API-KEY": API_KEY + "é"}, BAD_INPUT),
    ("key-nul-env-fallback", {"INPUT_HEROKU-API-KEY": "", "HEROKU_API_KEY": API_KEY + "\x7f"}, BAD_INPUT),
    ("key-rejected", {"INPUT_HEROKU-API-KEY": "hk-wrong-key"}, BAD_INPUT),
    (
        "api-url-ftp",
        {"HEROKU_API_URL": "ftp://127.0.0.1/", "INPUT_APP": "", "INPUT_PIPELINE": "p"},
        BAD_INPUT,
    ),
    (
        "api-url-http-remote",
        {"HEROKU_API_URL": "http://api.example.com", "INPUT_APP": "", "INPUT_PIPELINE": "p"},
        BAD_INPUT,
    ),
    ("api-url-bad-port", {"HEROKU_API_URL": "https://127.0.0.1:99999"}, BAD_INPUT),
    ("discovery-http-remote", {"CONNECT_DISCOVERY_SERVER": "http://hc.example.com"}, BAD_INPUT),
    ("discovery-port-text", {"CONNECT_DISCOVERY_SERVER": "http://127.0.0.1:port"}, BAD_INPUT),
    ("discovery-no-host", {"CONNECT_DISCOVERY_SERVER": "https://"}, BAD_INPUT),
    ("discovery-user-in-url", {"CONNECT_DISCOVERY_SERVER": "https://user:pw@127.0.0.1"}, BAD_INPUT),
    (
        "pr-number-5000-digits",
        {"INPUT_APP": "", "INPUT_PIPELINE": "p", "INPUT_PR-NUMBER": "9" * 5000},
        BAD_INPUT,
    ),
    (
        "pr-number-superscript",
        {"INPUT_APP": "", "INPUT_PIPELINE": "p", "INPUT_PR-NUMBER": "\u00b2"},
        BAD_INPUT,
    ),
    ("timeout-zero", {"INPUT_TIMEOUT": "0"}, BAD_INPUT),
]

DB_URL_CASES: list[tuple[str, str, frozenset[int]]] = [
    ("nul-password", f"postgresql://gate:{DB_PASSWORD}%00x@127.0.0.1:1/app", BAD_INPUT),
    ("sslmode-bogus", f"postgresql://gate:{DB_PASSWORD}@127.0.0.1:1/app?sslmode=bogus", BAD_INPUT),
    ("unknown-parameter", f"postgresql://gate:{DB_PASSWORD}@127.0.0.1:1/app?sslmod=require", BAD_INPUT),
    ("keepalives-text", f"postgresql://gate:{DB_PASSWORD}@127.0.0.1:1/app?keepalives=on", BAD_INPUT),
    ("port-out-of-range", f"postgresql://gate:{DB_PASSWORD}@127.0.0.1:99999/app", BAD_INPUT),
    ("port-text", f"postgresql://gate:{DB_PASSWORD}@127.0.0.1:pg/app", BAD_INPUT),
    ("scheme-mysql", f"mysql://gate:{DB_PASSWORD}@127.0.0.1/app", BAD_INPUT),
    (
        "hostaddr-remote-no-tls",
        f"postgresql://gate:{DB_PASSWORD}@localhost/app?hostaddr=10.255.255.1&sslmode=disable",
        BAD_INPUT,
    ),
    (
        "host-list-remote-no-tls",
        f"postgresql://gate:{DB_PASSWORD}@localhost/app?host=localhost,db.example.com&sslmode=prefer",
        BAD_INPUT,
    ),
    ("password-query-only-nul", f"postgresql://gate@127.0.0.1:1/app?password={DB_PASSWORD}%00", BAD_INPUT),
    # after the seed's diagnostics: an ERROR finding beside them, not exit 3
    ("refused-port", f"postgresql://gate:{DB_PASSWORD}@127.0.0.1:1/app", BLOCK),
    ("refused-password-query-only", f"postgresql://gate@127.0.0.1:1/app?password={DB_PASSWORD}", BLOCK),
]

MAIN_ENDPOINTS = {
    "discovery": ("GET", r"^/connections$"),
    "detail": ("GET", r"^/api/v3/connections/[^/]+$"),
    "start": ("POST", r"/validations$"),
    "result": ("GET", r"^/api/v3/validations/"),
}
AUX_ENDPOINTS = {
    "write-errors": ("GET", r"/errors$"),
    "export": ("GET", r"/actions/export$"),
    "config-vars": ("GET", r"/config-vars$"),
}
FAULTS: dict[str, Callable[[], Fault]] = {
    "silent": Fault.silent,
    "trickle": Fault.trickle,
    "503": lambda: Fault.http(503, '{"id": "unavailable", "message": "down"}'),
    "404": lambda: Fault.http(404, '{"id": "not_found", "message": "gone"}'),
    "garbage": Fault.garbage,
    "cut-off": Fault.truncate,
    "reset": Fault.reset,
    "shape": lambda: Fault.http(200, '{"unexpected": [1]}'),
    "deep": lambda: Fault.http(200, deep_json(50_000)),
    "lone-surrogate": lambda: Fault.http(200, '{"id": "\\ud800", "name": "\\udc00x"}'),
    "flood": Fault.flood,  # an endless body: read up to the 32 MiB cap, then refused
}
WAITS = ("silent", "trickle")


def live_fault(
    method: str,
    pattern: str,
    fault: str,
    *,
    green: bool = False,
    aux: str = "",
    env: dict[str, str] | None = None,
) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        connection = seed_connection(results=GREEN_RESULTS) if green else seed_connection()
        fake = ctx.heroku(connection, **(env or {}))
        fake.script(method, pattern, FAULTS[fault](), times=None)
        if aux == "export":
            ctx.migrations()
        if aux == "config-vars":
            fake.config_vars["protected-ridge-4963"] = {"DATABASE_URL": "postgres://u:p@127.0.0.1:1/x"}
            ctx.env["INPUT_DATABASE-URL"] = "from-app"

    return build


def live_text(ctx: Ctx) -> None:
    results = {
        "errors": [{"display_name": HOSTILE_TEXT, "message": HOSTILE_TEXT, "doc_url": "javascript:alert(1)"}]
    }
    ctx.heroku(seed_connection(results=results))


def results_text(ctx: Ctx) -> None:
    results = {
        "errors": [
            {"display_name": HOSTILE_TEXT, "message": HOSTILE_TEXT, "doc_url": "https://evil.example/)![x](y"}
        ],
        "mappings": {HOSTILE_TEXT: {"warnings": [{"display_name": "x", "message": API_KEY}]}},
    }
    ctx.args += ["--results-file", ctx.json("hostile.json", results)]
    ctx.env["INPUT_HEROKU-API-KEY"] = API_KEY  # given, so it must be scrubbed wherever a file quotes it


def fake_db(
    mode: str, source: str, *, warn: bool = False, green: bool = False, policy: str = ""
) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        fake = ctx.fake_pg(mode)
        url = fake.url(DB_PASSWORD)
        if policy:
            ctx.args += ["--policy", ctx.file("policy.yml", policy)]
        if source == "database-url":
            results = ["--results-file", ctx.json("green.json", GREEN_RESULTS)] if green else SEED_ARGS
            ctx.args += [
                *results,
                "--mapping-config",
                str(EXPORT),
                "--migrations",
                "none",
                "--database-url",
                url,
            ]
        elif source == "database-only":
            ctx.args += ["--mapping-config", str(EXPORT), "--migrations", "none", "--database-url", url]
        elif source == "sandbox-url":
            ctx.args += ["--mapping-config", str(EXPORT), "--migrations", "none", "--sandbox-url", url]
        elif source == "from-app":
            heroku = ctx.heroku()
            heroku.config_vars["protected-ridge-4963"] = {"DATABASE_URL": url}
            ctx.env["INPUT_DATABASE-URL"] = "from-app"
            ctx.env["INPUT_MAPPING-CONFIG"] = str(EXPORT)
            ctx.env["INPUT_MIGRATIONS"] = "none"
        elif source.startswith("seed"):
            ctx.args += ["seed", "--mapping-config", str(EXPORT), "--database-url", url, "--timeout", "2"]
            ctx.args += ["--record"] if source == "seed-record" else []
        if warn:
            ctx.env["INPUT_ON-ERROR"] = "warn"

    return build


def real_db(extra: str = "", suffix: str = "", *args: str) -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        ctx.args += [*SEED_ARGS, "--mapping-config", str(EXPORT), "--migrations", "none"]
        ctx.args += ["--database-url", ctx.real_url(suffix, extra), *args]

    return build


def nul_password(ctx: Ctx) -> None:
    """`%00` at the end of the real password: no PostgreSQL password can hold a NUL."""
    assert ctx.pg is not None
    url = ctx.real_url().replace("@127.0.0.1", "%00@127.0.0.1")
    ctx.args += [*SEED_ARGS, "--mapping-config", str(EXPORT), "--migrations", "none", "--database-url", url]


def report_dir_is_a_file(ctx: Ctx) -> None:
    ctx.args += SEED_ARGS
    ctx.env["INPUT_REPORT-DIR"] = ctx.file("afile", "x")


def password_query_only(ctx: Ctx) -> None:
    """`?password=` alone (no user-part password): masked like any other, refused by the server."""
    assert ctx.pg is not None
    url = (
        ctx.real_url("-wrong").replace(f":{ctx.pg.password}-wrong@", "@")
        + f"?password={ctx.pg.password}-wrong"
    )
    ctx.args += [*SEED_ARGS, "--mapping-config", str(EXPORT), "--migrations", "none", "--database-url", url]


def event(content: str | bytes | None, kind: str = "file") -> Callable[[Ctx], None]:
    def build(ctx: Ctx) -> None:
        ctx.migrations()
        ctx.args += ["--mapping-config", str(EXPORT)]
        ctx.env["GITHUB_EVENT_NAME"] = "pull_request"
        if kind == "fifo":
            os.mkfifo(ctx.tmp / "event.json")
            ctx.env["GITHUB_EVENT_PATH"] = str(ctx.tmp / "event.json")
        elif kind == "device":
            ctx.env["GITHUB_EVENT_PATH"] = "/dev/zero"
        elif kind == "huge":
            sparse("--x", 40)(Ctx(ctx.tmp, ctx.stack, None))
            ctx.env["GITHUB_EVENT_PATH"] = str(ctx.tmp / "huge")
        else:
            assert content is not None
            ctx.env["GITHUB_EVENT_PATH"] = ctx.file("event.json", content)

    return build


def assert_summary_inert(result: Result) -> None:
    summary = result.files.get("step_summary.md", "")
    assert "\x1b" not in summary
    summary = re.sub(r"`[^`\n]*`", "", summary)  # code spans show their text as is: inert
    assert "![" not in summary
    assert not re.search(r"(?<!\\)\]\(https://evil", summary), "a link to the attacker's site"


def assert_error_finding(result: Result) -> None:
    """The auxiliary request's failure is a finding in the reports, not a lost run."""
    data = json.loads(result.files["report/results.json"])
    assert any(f["status"] == "ERROR" and f["decision"] == "block" for f in data["findings"])


def reported(result: Result) -> tuple[list[dict[str, Any]], str]:
    """results.json's findings and junit.xml's text: both must be written, whatever the verdict."""
    return json.loads(result.files["report/results.json"])["findings"], result.files["report/junit.xml"]


def assert_database_unreachable(result: Result, decision: str = "block") -> None:
    """The database's failure is an ERROR finding beside the diagnostics, not a lost run."""
    findings, junit = reported(result)
    unreachable = [f for f in findings if f["check_id"] == "database-unreachable"]
    assert [(f["status"], f["decision"]) for f in unreachable] == [("ERROR", decision)], findings
    assert "Could not reach the database (`database-url`), so its checks did not run" in junit


def assert_red_and_unreachable(result: Result) -> None:
    findings, junit = reported(result)
    assert any(f["status"] == "RED" and f["source"] == "diagnostics" for f in findings), findings
    assert "Unique Identifier" in junit  # the seed's RED diagnostic
    assert_database_unreachable(result)


def assert_green_and_unreachable(result: Result) -> None:
    findings, _ = reported(result)
    assert {f["status"] for f in findings if f["source"] == "diagnostics"} == {"GREEN"}, findings
    assert_database_unreachable(result)
    assert output(result, "verdict") == "block"


def assert_unreachable_warned(result: Result) -> None:
    """`error: warn` in the policy: the run passes, and says an ERROR was let through."""
    assert_database_unreachable(result, "warn")
    assert (output(result, "verdict"), output(result, "status-error")) == ("pass", "1")


def output(result: Result, name: str) -> str:
    """One step output, as the runner reads the `name<<delimiter` form."""
    found = re.search(rf"^{re.escape(name)}<<(\S+)\n(.*?)\n\1$", result.files["github_output"], re.M | re.S)
    assert found, result.files["github_output"]
    return found.group(2)


def assert_interrupted(result: Result) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("connect-gate: interrupted by SIG"), result.stderr


def cases() -> list[Case]:
    found: list[Case] = []
    found += [Case(f"policy/{name}", policy(content), BAD_INPUT) for name, content in YAML_CASES]
    found += [
        Case("policy/fifo", fifo("--policy", tuple(SEED_ARGS)), BAD_INPUT),
        Case("policy/dev-zero", policy_path("/dev/zero"), BAD_INPUT),
        Case("policy/dev-null", policy_path("/dev/null"), BAD_INPUT),
        Case("policy/directory", policy_path("/"), BAD_INPUT),
        Case("policy/sparse-3mib", sparse("--policy", 3, tuple(SEED_ARGS)), BAD_INPUT),
    ]
    found += [
        Case(
            f"export/{name}",
            file_arg("--mapping-config", content),
            BAD_INPUT,
        )
        for name, content in EXPORT_BAD.items()
    ]
    found += [
        Case("export/fifo", fifo("--mapping-config"), BAD_INPUT),
        Case("export/dev-zero", with_args("--mapping-config", "/dev/zero", seed=False), BAD_INPUT),
        Case("export/sparse-33mib", sparse("--mapping-config", 33), BAD_INPUT),
    ]
    found += [
        Case(
            f"results/{name}",
            file_arg("--results-file", content),
            BAD_INPUT,
        )
        for name, content in RESULTS_BAD.items()
    ]
    found += [
        Case("results/fifo", fifo("--results-file"), BAD_INPUT),
        Case("results/dev-urandom", with_args("--results-file", "/dev/urandom", seed=False), BAD_INPUT),
        Case("results/sparse-65mib", sparse("--results-file", 65), BAD_INPUT),
        Case("results/hostile-text", results_text, BLOCK, check=assert_summary_inert),
    ]
    found += [
        Case("event/fifo", event(None, "fifo"), BAD_INPUT),
        Case("event/dev-zero", event(None, "device"), BAD_INPUT),
        Case("event/sparse-40mib", event(None, "huge"), BAD_INPUT),
        Case("event/deep", event(deep_json(100_000)), OK),
        Case(
            "event/duplicate-keys",
            event('{"pull_request": {"number": 1}, "pull_request": {"number": 2}}'),
            OK,
        ),
        Case("event/not-json", event("\x00\x01"), OK),
        Case("event/number-5000-digits", event('{"pull_request": {"number": ' + "9" * 5000 + "}}"), OK),
    ]
    found += [
        Case(f"input/{name}", with_args(*args, env=env), expect) for name, args, env, expect in INPUT_CASES
    ]
    found += [Case(f"input/{name}", live_env(env), expect) for name, env, expect in LIVE_INPUT_CASES]
    found += [
        Case(
            f"database-url/{name}",
            with_args("--mapping-config", str(EXPORT), "--migrations", "none", "--database-url", url),
            expect,
            check=assert_red_and_unreachable if expect is BLOCK else None,
        )
        for name, url, expect in DB_URL_CASES
    ]
    for endpoint, (method, pattern) in MAIN_ENDPOINTS.items():
        for fault in FAULTS:
            found.append(Case(f"heroku/{endpoint}/{fault}", live_fault(method, pattern, fault), UNREACHABLE))
        for fault in ("silent", "503", "garbage"):
            found.append(
                Case(
                    f"heroku/{endpoint}/{fault}/on-error-warn",
                    live_fault(method, pattern, fault, env={"INPUT_ON-ERROR": "warn"}),
                    PASS,
                )
            )
    for endpoint, (method, pattern) in AUX_ENDPOINTS.items():
        for fault in ("silent", "trickle", "503", "404", "garbage", "shape"):
            build = live_fault(method, pattern, fault, green=True, aux=endpoint)
            found.append(Case(f"heroku/{endpoint}/{fault}", build, BLOCK, check=assert_error_finding))
        build = live_fault(method, pattern, "404", green=True, aux=endpoint, env={"INPUT_ON-ERROR": "warn"})
        found.append(Case(f"heroku/{endpoint}/404/on-error-warn", build, BLOCK, check=assert_error_finding))
    found += [
        Case("heroku/hostile-text", live_text, BLOCK, check=assert_summary_inert),
        Case(
            "heroku/sigterm-while-waiting",
            live_fault("GET", r"^/connections$", "silent", env={"INPUT_TIMEOUT": "60"}),
            frozenset({143}),
            send=(signal.SIGTERM, 4.0),
            check=assert_interrupted,
        ),
        Case(
            "heroku/sigint-while-waiting",
            live_fault("GET", r"^/connections$", "silent", env={"INPUT_TIMEOUT": "60"}),
            frozenset({130}),
            send=(signal.SIGINT, 4.0),
            check=assert_interrupted,
        ),
    ]
    for mode in ("silent", "after-login", "reset", "garbage"):
        # after the diagnostics: an ERROR finding beside them; nothing learned yet: exit 3
        found.append(
            Case(
                f"postgres/database-url/{mode}",
                fake_db(mode, "database-url"),
                BLOCK,
                check=assert_red_and_unreachable,
            )
        )
        found.append(
            Case(
                f"postgres/database-url-green/{mode}",
                fake_db(mode, "database-url", green=True),
                BLOCK,
                check=assert_green_and_unreachable,
            )
        )
        for source in ("database-only", "sandbox-url", "seed"):
            found.append(Case(f"postgres/{source}/{mode}", fake_db(mode, source), UNREACHABLE))
    found += [
        Case("postgres/seed-record/after-login", fake_db("after-login", "seed-record"), UNREACHABLE),
        Case(
            "postgres/from-app/after-login",
            fake_db("after-login", "from-app"),
            BLOCK,
            check=assert_red_and_unreachable,
        ),
        Case(
            "postgres/database-url/after-login/on-error-warn",
            fake_db("after-login", "database-url", warn=True),
            BLOCK,
            check=assert_red_and_unreachable,
        ),
        Case(
            "postgres/database-url-green/reset/policy-error-warn",
            fake_db("reset", "database-url", green=True, policy="version: 1\ndefaults:\n  error: warn\n"),
            PASS,
            check=assert_unreachable_warned,
        ),
        Case(
            "postgres/database-only/silent/on-error-warn", fake_db("silent", "database-only", warn=True), PASS
        ),
        Case(
            "postgres/sigterm-after-login",
            fake_db("after-login", "database-url"),
            frozenset({143}),
            send=(signal.SIGTERM, 3.0),
            check=assert_interrupted,
        ),
    ]
    found += [
        Case("real-postgres/checks", real_db(), BLOCK),
        Case(
            "real-postgres/wrong-password", real_db(suffix="-wrong"), BLOCK, check=assert_red_and_unreachable
        ),
        Case(
            "real-postgres/password-query-only", password_query_only, BLOCK, check=assert_red_and_unreachable
        ),
        Case("real-postgres/sslmode-bogus", real_db("?sslmode=bogus"), BAD_INPUT),
        Case("real-postgres/options-unknown", real_db("?foo=bar"), BAD_INPUT),
        Case("real-postgres/nul-password", nul_password, BAD_INPUT),
        Case("real-postgres/timeout-1s", real_db("", "", "--database-timeout", "1"), BLOCK),
    ]
    found += [
        Case("process/stdout-closed-after-one-line", with_args(), BLOCK, stdout="head"),
        Case(
            "process/stdout-closed-passing",
            lambda ctx: ctx.args.extend(["--results-file", ctx.json("green.json", GREEN_RESULTS)]),
            PASS,
            stdout="head",
        ),
        Case("process/stdout-dev-full", with_args(), BLOCK, stdout="full"),
        Case("process/stdout-dev-full-input-error", with_args("--timeout", "x"), BAD_INPUT, stdout="full"),
        Case("process/disk-full-reports", with_args(), BAD_INPUT, file_blocks=4),
        Case(
            "process/report-dir-is-a-file",
            report_dir_is_a_file,
            BAD_INPUT,
        ),
        Case("process/github-output-dev-full", with_args(env={"GITHUB_OUTPUT": "/dev/full"}), BAD_INPUT),
        Case(
            "process/summary-unwritable-dir",
            with_args(env={"GITHUB_STEP_SUMMARY": "/proc/no/such/summary.md"}),
            BAD_INPUT,
        ),
    ]
    return found


CASES = cases()


# ---- running them --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pg_server: Server
) -> Iterator[dict[str, Future[Result]]]:
    """Every selected case started at once on a few threads; each test waits for its own."""
    wanted = {
        item.callspec.params["case"].name
        for item in request.session.items
        if hasattr(item, "callspec") and isinstance(item.callspec.params.get("case"), Case)
    }
    pg_server.drop_database(REAL_DB)
    pg_server.create_database(REAL_DB)
    from connect_gate.database.seed import seed
    from connect_gate.mapping_config import load_export

    seed(pg_server.url(REAL_DB), load_export(EXPORT))
    base = tmp_path_factory.mktemp("hostile")
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {
            case.name: pool.submit(run_case, case, base, pg_server) for case in CASES if case.name in wanted
        }
        yield futures
    pg_server.drop_database(REAL_DB)


RESULTS: dict[str, Result] = {}
_LOCK = threading.Lock()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_case(case: Case, matrix: dict[str, Future[Result]]) -> None:
    result = matrix[case.name].result()
    with _LOCK:
        RESULTS[case.name] = result
    shown = f"exit {result.status} after {result.elapsed:.1f} s\nstdout: {result.stdout[-1500:]}\nstderr: {result.stderr[-1500:]}"
    assert not result.hung, f"hung: killed after {case.bound + 30:.0f} s\n{shown}"
    assert not result.traceback, shown
    assert result.status in case.expect, shown
    assert not result.leaks(), f"a secret shows in {result.leaks()}\n{shown}"
    assert result.elapsed <= case.bound, f"took {result.elapsed:.1f} s, bound {case.bound:.0f} s\n{shown}"
    for line in (result.stdout + "\n" + result.stderr).splitlines():
        assert legacy_command(line) is None, f"the runner would run {line!r}"
        assert "\x1b" not in line, f"an escape sequence in the log: {line!r}"
    assert not result.leftovers, f"temporary report files left behind: {result.leftovers}"
    for name, text in result.files.items():  # a report is whole, or absent
        if name.endswith(".json") or name.endswith(".sarif"):
            json.loads(text)
        if name.endswith(".xml"):
            ElementTree.fromstring(text.encode())
    if result.status in (0, 1) and case.stdout == "pipe" and case.file_blocks is None:
        assert "report/results.json" in result.files or "github_output" in result.files, shown
    if case.check is not None:
        case.check(result)


def test_the_matrix_has_at_least_150_cases() -> None:
    assert len(CASES) >= 150, len(CASES)


def test_matrix_figures(matrix: dict[str, Future[Result]]) -> None:
    """The totals the issue asks for, printed for the record; all but `cases` must be zero."""
    results = [future.result() for future in matrix.values()]
    figures = {
        "cases": len(results),
        "tracebacks": sum(r.traceback for r in results),
        "hangs": sum(r.hung for r in results),
        "wrong exits": sum(r.status not in r.case.expect for r in results),
        "leaks": sum(bool(r.leaks()) for r in results),
        "over time": sum(r.elapsed > r.case.bound for r in results),
    }
    slowest = max(results, key=lambda r: r.elapsed) if results else None
    print(
        f"\nhostile matrix: {figures}; slowest {slowest.case.name if slowest else '-'} "
        f"{slowest.elapsed if slowest else 0:.1f} s"
    )
    assert [value for key, value in figures.items() if key != "cases"] == [0] * (len(figures) - 1), figures
