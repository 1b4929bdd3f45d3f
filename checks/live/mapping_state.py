"""A mapping is in a broken state and no longer syncs its object.

BULK_LOAD_ERROR, SYSTEM_ERROR, DB_UNAVAILABLE, BAD_CONFIG, SYNC_REMOVED, INACTIVE_ORG and
UNAUTHORIZED stop one mapping while the others go on, so the connection itself can look healthy.

Bad: a migration adds a foreign key pointing at `salesforce.account`; the next reload of Account
fails and the mapping goes to BULK_LOAD_ERROR.

Good: reference Salesforce rows by `sfid` from your own tables without a foreign key; the mapping
stays DATA_SYNCED.
"""

from __future__ import annotations

import sys

from checks.base import info
from checks.live.common import on_mapping
from connect_gate.findings import Finding, Source, Status
from connect_gate.heroku.models import Connection
from connect_gate.heroku.states import MAPPING_BROKEN

CHECK = info(sys.modules[__name__], "mapping-state", "Mapping state", Source.LIVE, Status.RED)


def check(connection: Connection) -> list[Finding]:
    return [
        on_mapping(
            CHECK, connection, m.object_name, f"Mapping {m.object_name} is {m.state}: it is not syncing."
        )
        for m in connection.mappings
        if m.state in MAPPING_BROKEN
    ]
