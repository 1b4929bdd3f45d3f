"""An inline waiver in a migration waived nothing.

A waiver comment (`-- connect-gate: ignore <rule> because <reason>`) applies to the statement it
sits on or just above, and `-- connect-gate: ignore-file <rule> because <reason>` to the whole
file. One that matches no finding is stale (the statement changed) or misplaced: it would
silently waive a future problem, so it is reported.

Bad:

    -- connect-gate: ignore truncate-mapped-table because the table is rebuilt nightly
    CREATE TABLE public.report (id bigint);

Good: delete the waiver, or move it onto the statement it is meant for.
"""

import sys

from connect_gate.check import Reads, info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "unused-sql-waiver",
    "Inline waiver that waived nothing",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.MIGRATION_FILE,
)
