"""The sandbox's own checks, by id (the migration rules and database checks it also runs have theirs)."""

from __future__ import annotations

from checks.base import CheckInfo
from checks.sandbox import mapped_table_altered, rows_queued_for_salesforce

SANDBOX_CHECKS: dict[str, CheckInfo] = {
    module.CHECK.id: module.CHECK for module in (rows_queued_for_salesforce, mapped_table_altered)
}
