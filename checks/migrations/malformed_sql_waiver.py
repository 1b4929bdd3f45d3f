"""An inline waiver in a migration cannot be read, so it waives nothing.

The forms are, on or just above the statement, and anywhere in the file for the whole file:

    -- connect-gate: ignore <rule>[, <rule>...] because <reason>
    -- connect-gate: ignore-file <rule>[, <rule>...] because <reason>

A rule must be one of connect-gate's migration rules and the reason must not be empty: a waiver
without a reason gives the next reviewer nothing to judge.

Bad:

    -- connect-gate: ignore write-to-read-write-mapping
    -- connect-gate: ignore write-to-readwrite-mapping because backfill agreed with the CRM team

Good:

    -- connect-gate: ignore write-to-read-write-mapping because backfill agreed with the CRM team (OPS-812)
    UPDATE salesforce.account SET industry = 'Retail' WHERE industry IS NULL;
"""

import sys

from connect_gate.check import Reads, info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "malformed-sql-waiver",
    "Inline waiver that cannot be read",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.MIGRATION_FILE,
)
