"""A mapping was still loading or syncing when the gate looked.

Right after a review app is created its mappings load their data from Salesforce; the
diagnostics of a half-loaded mapping say little. This is reported as what it is, not as a
failure. Set the input `mappings-timeout` to wait for the mappings to settle (DATA_SYNCED).

Bad: the gate runs while Account is still in LOADING_BULK_JOB and `mappings-timeout` is 0.

Good: `mappings-timeout: 600`, so the gate waits up to ten minutes for the load to finish.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.heroku.models import Connection
from connect_gate.heroku.states import MAPPING_SYNCING

CHECK = info(
    sys.modules[__name__],
    "mapping-syncing",
    "Mapping still syncing",
    Source.LIVE,
    Status.YELLOW,
    reads=Reads.CONNECTION,
)


def find(connection: Connection) -> Iterator[Problem]:
    for m in connection.mappings:
        if m.state in MAPPING_SYNCING:
            yield Problem(
                f"Mapping {m.object_name} is still syncing ({m.state}); "
                "its diagnostics may change when it settles.",
                subject=m.object_name,
            )
