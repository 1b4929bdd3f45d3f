"""Code the rules cannot read changed the definition of a mapped table.

The recorder in the sandbox saw a DDL command on a table Heroku Connect keeps (ALTER TABLE,
CREATE INDEX, COMMENT...) that no finding on the migration's text explains: a DO block, a
function, or SQL an ORM built ran it. What the command left behind is judged by the database
checks on the end state (app-owned columns, constraints, indexes, triggers); this finding names
the migration that ran it, so that a person reviews the change.

Bad (a column added to Connect's table from inside a DO block):

    DO $$ BEGIN
        EXECUTE 'ALTER TABLE salesforce.account ADD COLUMN score integer NOT NULL DEFAULT 0';
    END $$;

Good: keep the app's data in a table of its own, keyed by `sfid`:

    CREATE TABLE public.account_score (account_sfid varchar(18) PRIMARY KEY, score integer);
"""

from __future__ import annotations

import sys

from connect_gate.check import Reads, info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "mapped-table-altered",
    "Mapped table altered by code the rules cannot read",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.RECORDED_COMMAND,
)
