"""The sandbox's own checks (the migration rules and database checks it also runs have theirs)."""

from __future__ import annotations

from connect_gate.check import Check
from connect_gate.checks.sandbox import mapped_table_altered, rows_queued_for_salesforce

CHECKS: tuple[Check, ...] = tuple(
    Check.of(module) for module in (rows_queued_for_salesforce, mapped_table_altered)
)
