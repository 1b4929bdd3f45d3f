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
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.heroku.models import Connection
from connect_gate.heroku.states import MAPPING_BROKEN

CHECK = info(
    sys.modules[__name__], "mapping-state", "Mapping state", Source.LIVE, Status.RED, reads=Reads.CONNECTION
)


def find(connection: Connection) -> Iterator[Problem]:
    for m in connection.mappings:
        if m.state in MAPPING_BROKEN:
            yield Problem(f"Mapping {m.object_name} is {m.state}: it is not syncing.", subject=m.object_name)
