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
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.mapping_config import MappingConfig

if TYPE_CHECKING:  # the recorder loads psycopg2: only a sandbox run needs it
    from connect_gate.sandbox.recorder import CapturedWrites

CHECK = info(
    sys.modules[__name__],
    "rows-queued-for-salesforce",
    "Rows queued for Salesforce",
    Source.DATABASE,
    Status.RED,
    reads=Reads.RECORDING,
)


def find(queued: tuple[CapturedWrites, ...], config: MappingConfig) -> Iterator[Problem]:
    """A problem about the mapped object of each read-write table with changes queued for Salesforce."""
    if not queued:
        yield Problem(
            f"no rows of a read-write mapping were queued for Salesforce in {config.schema}._trigger_log",
            status=Status.GREEN,
        )
    for writes in queued:
        mapping = config.by_table(writes.table)
        name = mapping.object_name if mapping is not None else writes.table
        actions = ", ".join(f"{action} {number}" for action, number in writes.by_action)
        ids = ", ".join(str(i) for i in writes.sample_ids) + (
            ", …" if writes.rows > len(writes.sample_ids) else ""
        )
        yield Problem(
            f"The migrations made {writes.changes} change(s) to {writes.rows} row(s) of "
            f"{config.schema}.{writes.table} ({name}, a read-write mapping): {actions}. Heroku Connect "
            f"queued them in _trigger_log and would write them to Salesforce (Connect ids {ids}).",
            subject=name,
        )
