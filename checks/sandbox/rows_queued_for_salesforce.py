"""The migrations changed rows of a read-write mapped table: Connect would write them to Salesforce.

In the sandbox, Connect's own trigger logged the rows the migrations inserted, updated or
deleted into `_trigger_log` as NEW, exactly as it does on the review app and in production,
where Heroku Connect then writes each of them to Salesforce: a data migration becomes a bulk
write to the Salesforce org (validation rules, flows, Apex triggers, API calls) that cannot be
rolled back with the migration. This check counts what was queued, whatever wrote it: a
statement in a migration, an ORM model, a function or a trigger of the app; the statement itself,
when it names the table, is also reported by `write-to-read-write-mapping` (waive both for a data
migration meant to reach Salesforce).

Bad (a Django data migration):

    def backfill(apps, schema_editor):
        apps.get_model("crm", "Account").objects.filter(industry=None).update(industry="Retail")

Good: change the data in Salesforce (data loader, a flow) and let Connect bring it back, or keep
the derived value in a table of your own, keyed by `sfid`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from checks.base import info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "rows-queued-for-salesforce",
    "Rows queued for Salesforce",
    Source.DATABASE,
    Status.RED,
)


def describe(
    table: str, object_name: str, by_action: Sequence[tuple[str, int]], rows: int, sample_ids: Sequence[int]
) -> str:
    """The finding's message for one read-write mapped table's queued changes."""
    changes = sum(number for _action, number in by_action)
    actions = ", ".join(f"{action} {number}" for action, number in by_action)
    ids = ", ".join(str(i) for i in sample_ids) + (", …" if rows > len(sample_ids) else "")
    return (
        f"The migrations made {changes} change(s) to {rows} row(s) of {table} ({object_name}, a read-write "
        f"mapping): {actions}. Heroku Connect queued them in _trigger_log and would write them to "
        f"Salesforce (Connect ids {ids})."
    )
