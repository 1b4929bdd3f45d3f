"""Live diagnostics as a source: the settings → `run_live` → findings, like a saved results file.

Each connection's payload is read by the same reader as `--results-file`, so live and offline
runs print the same lines; our own findings (readiness, write errors, review app) follow them.
"""

from __future__ import annotations

import json

from connect_gate.document import Document
from connect_gate.errors import InputError, ServiceError
from connect_gate.findings import Finding
from connect_gate.heroku.connect import DISCOVERY_URL
from connect_gate.heroku.live import LiveParams, run_live
from connect_gate.heroku.platform import PLATFORM_URL, pull_request_of
from connect_gate.heroku.progress import Progress
from connect_gate.settings import Settings
from connect_gate.sources.diagnostics import read_results


def live_params(settings: Settings) -> LiveParams:
    if not settings.heroku_api_key:
        raise InputError(
            "input `heroku-api-key` (INPUT_HEROKU-API-KEY, or HEROKU_API_KEY) is needed for live "
            "diagnostics (`app` or `pipeline`)"
        )
    event_number, event_branch = pull_request_of(settings.runner.event_path)
    return LiveParams(
        api_key=settings.heroku_api_key.reveal(),
        app=settings.app,
        pipeline=settings.pipeline,
        pr_number=_pr_number(settings.pr_number) if settings.pr_number else event_number,
        branch=settings.branch or event_branch,
        resource=settings.resource,
        timeout=_seconds("timeout", settings.timeout),
        review_app_timeout=_seconds("review-app-timeout", settings.review_app_timeout),
        mappings_timeout=float(settings.mappings_timeout),  # 0 (do not wait) or more: settings checks
        platform_url=settings.heroku_api_url or PLATFORM_URL,
        discovery_url=settings.connect_discovery_server or DISCOVERY_URL,
    )


def read_live(settings: Settings, progress: Progress) -> list[Finding]:
    result = run_live(live_params(settings), progress)
    findings: list[Finding] = []
    for diagnostics in result.connections:
        doc = Document(diagnostics.origin, json.dumps(diagnostics.payload, indent=2), diagnostics.payload)
        try:
            findings += read_results(doc, diagnostics.connection)
        except InputError as exc:  # the payload is Heroku's, not the user's: a service fault
            raise ServiceError(f"Heroku Connect answered diagnostics that cannot be read: {exc}") from None
    return findings + list(result.findings)


def _pr_number(text: str) -> int:
    if not text.isdigit():
        raise InputError(f"input `pr-number` (INPUT_PR-NUMBER): expected a pull request number, got {text!r}")
    return int(text)


def _seconds(name: str, value: int) -> float:
    """A deadline of 0 s would fail before the first request: ask for at least one second."""
    if value < 1:
        raise InputError(f"input `{name}` (INPUT_{name.upper()}): expected at least 1 second, got {value}")
    return float(value)
