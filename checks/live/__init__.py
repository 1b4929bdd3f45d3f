"""Checks on the live connection (state, readiness, write errors) and on the review app."""

from __future__ import annotations

from checks.base import CheckInfo
from checks.live import (
    connection_state,
    data_unavailable,
    mapping_state,
    mapping_syncing,
    not_configured,
    review_app_errored,
    write_errors,
)

LIVE_CHECKS: dict[str, CheckInfo] = {
    module.CHECK.id: module.CHECK
    for module in (
        not_configured,
        connection_state,
        mapping_state,
        mapping_syncing,
        write_errors,
        review_app_errored,
        data_unavailable,
    )
}
