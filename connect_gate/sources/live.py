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
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from connect_gate.document import Document
from connect_gate.errors import InputError, ServiceError
from connect_gate.event import pull_request
from connect_gate.findings import Finding, Source
from connect_gate.mapping_config import MappingConfig, from_export
from connect_gate.settings import Settings
from connect_gate.sources.base import Gathered, Need
from connect_gate.sources.diagnostics import read_results
from connect_gate.workflow import Progress

if TYPE_CHECKING:
    from connect_gate.heroku.live import LiveParams

# The Heroku clients (and `requests`, a third of the start-up time) are imported only when a run
# asks for live diagnostics: a run on migrations alone does not wait for them.
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
        if with_export and not live.configs:  # the finding `connection-data-unavailable` says why
            got.unavailable.add(Need.MAPPING_CONFIG)
        got.configs.update(live.configs)
        got.database_urls.update(live.database_urls)
        got.ran |= {Source.DIAGNOSTICS, Source.LIVE}


def live_params(settings: Settings, with_export: bool = False, with_database_url: bool = False) -> LiveParams:
    from connect_gate.heroku.connect import DISCOVERY_URL
    from connect_gate.heroku.live import LiveParams
    from connect_gate.heroku.platform import PLATFORM_URL

    if not settings.heroku_api_key:
        raise InputError(
            "input `heroku-api-key` (INPUT_HEROKU-API-KEY, or HEROKU_API_KEY) is needed for live "
            "diagnostics (`app` or `pipeline`)"
        )
    _check_key(settings.heroku_api_key.reveal())
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
        platform_url=_address("HEROKU_API_URL", settings.heroku_api_url) or PLATFORM_URL,
        discovery_url=_address("CONNECT_DISCOVERY_SERVER", settings.connect_discovery_server)
        or DISCOVERY_URL,
        with_export=with_export,
        with_database_url=with_database_url,
    )


def read_live(
    settings: Settings, progress: Progress, with_export: bool = False, with_database_url: bool = False
) -> LiveSource:
    from connect_gate.heroku.live import run_live, unavailable

    result = run_live(live_params(settings, with_export, with_database_url), progress)
    live = LiveSource([])
    for diagnostics in result.connections:
        live.findings.extend(_read(diagnostics.payload, diagnostics.origin, diagnostics.connection))
        if diagnostics.export is not None:
            origin = f"mapping configuration of connection {diagnostics.connection}"
            doc = Document(origin, json.dumps(diagnostics.export, indent=2), diagnostics.export)
            try:
                live.configs[diagnostics.connection] = _heroku_says(
                    partial(from_export, doc, settings.schema or None)
                )
            except ServiceError as exc:  # only the migration analysis needed it: a finding, not a lost run
                what = "the mapping configuration (export)"
                live.findings.append(
                    unavailable(diagnostics.connection, what, "the migration analysis", str(exc))
                )
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


def _check_key(key: str) -> None:
    """A key goes into an HTTP header: a space, a control or zero-width character pasted with it
    would make the request fail in ways no message explains. Never shown, only described."""
    if not (key.isascii() and key.isprintable()) or any(c.isspace() for c in key):
        raise InputError(
            "input `heroku-api-key` (or HEROKU_API_KEY) holds a space, a control character or a "
            "character that is not ASCII (a zero-width space pasted with it?); a Heroku key has none"
        )


def _address(variable: str, url: str) -> str:
    """A base URL the key will be sent to: https, or http to this machine only; a port that exists."""
    if not url:
        return url
    from connect_gate.heroku.session import LOOPBACK

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises ValueError for a port out of range or not a number)
    except ValueError:
        raise InputError(f"{variable}: {url!r} is not a URL with a valid port") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InputError(f"{variable}: expected an https:// URL, got {url!r}")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise InputError(
            f"{variable}: plain http is only allowed to this machine (the API key would travel in clear); "
            f"use https://{parts.netloc}"
        )
    if parts.username or parts.password:
        raise InputError(f"{variable}: a user or password in the URL is not supported")
    return url.strip()
