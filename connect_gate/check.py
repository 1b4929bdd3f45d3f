"""The one check protocol: what a check declares, what it returns, and how the engines run it.

A check is a module under `checks/` with a docstring (its documentation), `CHECK` (its data:
id, title, source, default status, the data it reads, its doc URL) and `find(...)`, which yields a
`Problem` for each thing it finds. The engine that holds the data the check reads (`Reads`) runs
every check of the registry that reads it, turns a crash into one ERROR finding naming the check,
and stamps the check's id, title, source and status on each finding, so checks never repeat
their metadata and never build a Finding themselves.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from connect_gate.findings import Finding, Location, Scope, Source, Status

REPOSITORY_URL = "https://github.com/connect-gate/connect-gate"
CHECKS_DOC_URL = f"{REPOSITORY_URL}/blob/main/docs/checks.md"  # each check has an anchor: #<id>


class Reads(enum.Enum):
    """The data a check's `find` receives; the engine that has it runs the check."""

    CONNECTION_SETUP = "the live connection, before it is diagnosed"  # find(connection)
    CONNECTION = "the live connection"  # find(connection)
    WRITE_ERRORS = "the live connection's write errors"  # find(connection, payload)
    REVIEW_APP = "the review app"  # find(review_app)
    STATEMENT = "a migration statement"  # find(node, context), for the node types in `nodes`
    MIGRATION_FILE = "a migration file, as a whole"  # reported by the migration engine itself
    DATABASE = "the database catalogs"  # find(state)
    RECORDING = "the sandbox's recording"  # find(queued_writes, config)
    RECORDED_COMMAND = "what a recorded command did"  # reported by the sandbox engine (effects.py)
    WAIVER = "a waiver of the policy"  # find(waiver, usage)
    UNAVAILABLE = "data Heroku could not give"  # reported by the live engine itself (heroku/live.py)
    UNREACHABLE = "a database that could not be reached"  # reported by its source (sources/base.py)


@dataclass(frozen=True, slots=True)
class CheckInfo:
    id: str  # stable, kebab-case; what a policy or an inline waiver names
    title: str  # the display name in reports
    source: Source
    status: Status  # the status of a finding when the check finds its problem
    doc: str  # the module docstring: why it matters, a bad and a good example
    reads: Reads
    nodes: tuple[str, ...] = ()  # for Reads.STATEMENT: the statement node types it looks at
    doc_url: str = ""  # where users read about it; default: its section of docs/checks.md

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.title

    @property
    def url(self) -> str:
        return self.doc_url or f"{CHECKS_DOC_URL}#{self.id}"


def info(
    module: ModuleType,
    id: str,
    title: str,
    source: Source,
    status: Status,
    *,
    reads: Reads,
    nodes: tuple[str, ...] = (),
    doc_url: str = "",
) -> CheckInfo:
    """Build a check's data from its module, whose docstring is the user documentation."""
    return CheckInfo(id, title, source, status, inspect.cleandoc(module.__doc__ or ""), reads, nodes, doc_url)


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check found.

    `at`: a byte offset in the statement (migration rules), for a precise span; `subject`: what
    within the data it is about (a mapped table or object; None: the whole connection, schema or
    file); `status`: when not the check's default status (a paused connection is only YELLOW).
    """

    message: str
    at: int | None = None
    subject: str | None = None
    status: Status | None = None


Find = Callable[..., Iterable[Problem]]


@dataclass(frozen=True, slots=True)
class Check:
    info: CheckInfo
    find: Find | None  # None: the engine reports it itself (e.g. a statement that does not parse)

    @classmethod
    def of(cls, module: ModuleType) -> Check:
        """A check module's `CHECK` and `find`: one registry line each."""
        return cls(module.CHECK, getattr(module, "find", None))


@dataclass(frozen=True, slots=True)
class Crash:
    """A check that raised: the engine reports it as one ERROR finding and runs the others."""

    error: Exception

    @property
    def message(self) -> str:
        return f"{type(self.error).__name__}: {self.error}"


def run(check: Check, *data: Any) -> list[Problem] | Crash:
    """The check's problems with `data`, or how it crashed (one crashing check hides nothing)."""
    assert check.find is not None, f"{check.info.id} is reported by its engine"
    try:
        return list(check.find(*data))
    except Exception as exc:  # any bug in one check becomes that check's ERROR finding
        return Crash(exc)


def findings_of(
    check: Check,
    data: tuple[Any, ...],
    scope_of: Callable[[str | None], Scope],
    location: Location | None = None,
) -> list[Finding]:
    """Run `check` on `data`; `scope_of` places a problem by its subject (None: the whole scope).

    `location` is where the data is written (a waiver's line), if anywhere. A crash is one ERROR
    finding on the whole scope, naming the check.
    """
    problems = run(check, *data)
    if isinstance(problems, Crash):
        message = f"{check.info.id} crashed: {problems.message}"
        return [stamp(check.info, scope_of(None), message, Status.ERROR, location)]
    return [
        stamp(check.info, scope_of(problem.subject), problem.message, problem.status, location)
        for problem in problems
    ]


def stamp(
    check: CheckInfo,
    scope: Scope,
    message: str,
    status: Status | None = None,
    location: Location | None = None,
    *,
    mapping: str = "",
) -> Finding:
    """A finding of `check`, with the check's id, title, source, doc URL and (unless given) status."""
    status = status or check.status
    return Finding(check.source, check.id, check.title, scope, status, message, check.url, location, mapping)


def reading(checks: Iterable[Check], reads: Reads) -> tuple[Check, ...]:
    """The checks, in registry order, that read `reads`."""
    return tuple(check for check in checks if check.info.reads is reads)
