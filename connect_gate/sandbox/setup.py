"""`connect-gate seed --record` and `--cleanup`: seed a sandbox with the recorder, or remove it."""

from __future__ import annotations

from connect_gate.database.connection import SessionLimits, session
from connect_gate.database.seed import SEED_LIMITS, SeedReport, missing_tables, seed_session
from connect_gate.database.url import parse_url, with_tls
from connect_gate.errors import InputError
from connect_gate.mapping_config import MappingConfig
from connect_gate.sandbox import recorder


def seed_with_recorder(
    url: str,
    config: MappingConfig,
    *,
    force: bool = False,
    require_tls: bool = True,
    rows: int = 0,
    limits: SessionLimits = SEED_LIMITS,
) -> SeedReport:
    """Seed, then install the recorder; an earlier recorder is removed first so the seed is not recorded."""
    with session(with_tls(parse_url(url), require_tls), limits) as opened:
        recorder.require_superuser(opened)  # before seeding, so that a refusal changes nothing
        recorder.cleanup(opened)
        report = seed_session(opened, config, force=force, rows=rows)
        recorder.install(opened, config)
        return report


def install_recorder(
    url: str, config: MappingConfig, *, require_tls: bool = True, limits: SessionLimits = SEED_LIMITS
) -> str:
    """Install the recorder on a schema seeded earlier (and loaded with rows); returns the redacted URL."""
    with session(with_tls(parse_url(url), require_tls), limits) as opened:
        recorder.require_superuser(opened)
        missing = missing_tables(opened, config)
        if missing:
            raise InputError(
                f"--record-only: {opened.url} has no {', '.join(missing)}: seed it first "
                "(connect-gate seed --mapping-config ...), then load your rows, then --record-only"
            )
        recorder.install(opened, config)
        return opened.url.redacted


def remove_recorder(url: str, *, require_tls: bool = True, limits: SessionLimits = SEED_LIMITS) -> str:
    """Remove the recorder; returns the redacted URL. Nothing else in the database changes."""
    with session(with_tls(parse_url(url), require_tls), limits) as opened:
        recorder.cleanup(opened)
        return opened.url.redacted
