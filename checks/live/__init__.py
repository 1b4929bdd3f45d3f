"""Checks on the live connection (state, readiness, write errors) and on the review app."""

from __future__ import annotations

from connect_gate.check import Check
from connect_gate.checks.live import (
    connection_state,
    data_unavailable,
    mapping_state,
    mapping_syncing,
    not_configured,
    review_app_errored,
    write_errors,
)

CHECKS: tuple[Check, ...] = tuple(
    Check.of(module)
    for module in (
        not_configured,
        connection_state,
        mapping_state,
        mapping_syncing,
        write_errors,
        review_app_errored,
        data_unavailable,
    )
)
