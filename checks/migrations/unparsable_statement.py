"""A statement of a migration does not parse, so connect-gate cannot check it.

connect-gate reads migrations with PostgreSQL's own parser. A statement it rejects would also be
rejected by the database, unless it is not plain SQL (a template placeholder such as `${schema}`,
a dialect of another database). Either way the statement was not checked for risks to the sync.
The rest of the file is still analysed. Status ERROR: the check could not run on that statement,
and the default policy blocks on it. Migrations that are templates (Flyway `${placeholders}`)
can relax it in the policy:

    checks:
      - check: unparsable-statement
        action: warn

Bad:

    ALTER TABLE salesforce.account ADD COLUMN note tex t;

Good: valid PostgreSQL, e.g.

    ALTER TABLE public.account_note ADD COLUMN note text;
"""

import sys

from connect_gate.check import Reads, info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "unparsable-statement",
    "Statement that does not parse",
    Source.MIGRATIONS,
    Status.ERROR,
    reads=Reads.MIGRATION_FILE,
)
