"""`connect-gate seed --record` and `--cleanup`: seed a sandbox with the recorder, or remove it."""

from __future__ import annotations

from connect_gate.database.connection import SessionLimits, session
from connect_gate.database.seed import SEED_LIMITS, SeedReport, seed_session
from connect_gate.database.url import parse_url, with_tls
from connect_gate.mapping_config import MappingConfig
from connect_gate.sandbox import recorder


def seed_with_recorder(
    url: str,
    config: MappingConfig,
    *,
    force: bool = False,
    require_tls: bool = True,
    limits: SessionLimits = SEED_LIMITS,
) -> SeedReport:
    """Seed, then install the recorder; an earlier recorder is removed first so the seed is not recorded."""
    with session(with_tls(parse_url(url), require_tls), limits) as opened:
        recorder.require_superuser(opened)  # before seeding, so that a refusal changes nothing
        recorder.cleanup(opened)
        report = seed_session(opened, config, force=force)
        recorder.install(opened, config)
        return report


def remove_recorder(url: str, *, require_tls: bool = True, limits: SessionLimits = SEED_LIMITS) -> str:
    """Remove the recorder; returns the redacted URL. Nothing else in the database changes."""
    with session(with_tls(parse_url(url), require_tls), limits) as opened:
        recorder.cleanup(opened)
        return opened.url.redacted
