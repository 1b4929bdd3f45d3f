"""Live diagnostics as a source: the settings → `run_live` → findings, like a saved results file.

Each connection's payload is read by the same reader as `--results-file`, so live and offline
runs print the same lines; our own findings (readiness, write errors, review app) follow them.
It provides, when a later source needs them, each connection's mapping configuration and
database URL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from connect_gate.document import Document
from connect_gate.errors import InputError, ServiceError
from connect_gate.event import pull_request
from connect_gate.findings import Finding, Source
from connect_gate.heroku.connect import DISCOVERY_URL
from connect_gate.heroku.live import LiveParams, run_live
from connect_gate.heroku.platform import PLATFORM_URL
from connect_gate.mapping_config import MappingConfig, from_export
from connect_gate.settings import Settings
from connect_gate.sources.base import Gathered, Need
from connect_gate.sources.diagnostics import read_results
from connect_gate.workflow import Progress

T = TypeVar("T")


@dataclass(frozen=True)
class LiveSource:
    """What the live run gives the gate: findings, and per connection what other sources need."""

    findings: list[Finding]
    configs: dict[str, MappingConfig] = field(default_factory=dict)  # connection → its export
    database_urls: dict[str, str] = field(default_factory=dict, repr=False)  # connection → secret URL


class Live:
    provides = frozenset({Need.MAPPING_CONFIG, Need.DATABASE_URLS})

    def wanted(self, settings: Settings) -> bool:
        return bool(settings.app or settings.pipeline)

    def needs(self, settings: Settings) -> frozenset[Need]:
        return frozenset()

    def gather(self, settings: Settings, got: Gathered, needed: frozenset[Need], progress: Progress) -> None:
        with_export = Need.MAPPING_CONFIG in needed and got.export is None
        live = read_live(settings, progress, with_export, Need.DATABASE_URLS in needed)
        got.findings += live.findings
        got.configs.update(live.configs)
        got.database_urls.update(live.database_urls)
        got.ran |= {Source.DIAGNOSTICS, Source.LIVE}


def live_params(settings: Settings, with_export: bool = False, with_database_url: bool = False) -> LiveParams:
    if not settings.heroku_api_key:
        raise InputError(
            "input `heroku-api-key` (INPUT_HEROKU-API-KEY, or HEROKU_API_KEY) is needed for live "
            "diagnostics (`app` or `pipeline`)"
        )
    event = pull_request(settings.runner.event_path)
    return LiveParams(
        api_key=settings.heroku_api_key.reveal(),
        app=settings.app,
        pipeline=settings.pipeline,
        pr_number=event.number if settings.pr_number is None else settings.pr_number,
        branch=settings.branch or event.head_ref,
        resource=settings.resource,
        timeout=settings.timeout,
        review_app_timeout=settings.review_app_timeout,
        mappings_timeout=settings.mappings_timeout,
        platform_url=settings.heroku_api_url or PLATFORM_URL,
        discovery_url=settings.connect_discovery_server or DISCOVERY_URL,
        with_export=with_export,
        with_database_url=with_database_url,
    )


def read_live(
    settings: Settings, progress: Progress, with_export: bool = False, with_database_url: bool = False
) -> LiveSource:
    result = run_live(live_params(settings, with_export, with_database_url), progress)
    live = LiveSource([])
    for diagnostics in result.connections:
        live.findings.extend(_read(diagnostics.payload, diagnostics.origin, diagnostics.connection))
        if diagnostics.export is not None:
            origin = f"mapping configuration of connection {diagnostics.connection}"
            doc = Document(origin, json.dumps(diagnostics.export, indent=2), diagnostics.export)
            config = _heroku_says(partial(from_export, doc, settings.schema or None))
            live.configs[diagnostics.connection] = config
        if diagnostics.database_url:
            live.database_urls[diagnostics.connection] = diagnostics.database_url
    live.findings.extend(result.findings)
    return live


def _read(payload: object, origin: str, connection: str) -> list[Finding]:
    doc = Document(origin, json.dumps(payload, indent=2), payload)
    return _heroku_says(partial(read_results, doc, connection))


def _heroku_says(read: Callable[[], T]) -> T:
    """Read what Heroku answered: a shape we cannot read is the service's fault, not the user's."""
    try:
        return read()
    except InputError as exc:
        raise ServiceError(f"Heroku Connect answered something that cannot be read: {exc}") from None
