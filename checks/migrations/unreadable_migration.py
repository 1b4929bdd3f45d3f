r"""A migration file, or a file it includes, cannot be read as psql would run it.

The gate analyses what `psql -f` would run. It refuses, and reports, what it cannot read that way:
a symbolic link to a file outside the workspace, a FIFO or a device (never opened: a pull request
can commit them), a `\i`/`\ir` of a file outside the workspace or missing from it, an include loop,
bytes that are not UTF-8, a NUL byte (psql drops the rest of that line and joins the next one to it),
a file name that is not UTF-8. Status ERROR: the statements there were not all checked, and the
default policy blocks on it.

Bad:

    \i ../../shared/cleanup.sql

Good: commit the SQL the migration runs inside the repository, as UTF-8 text without NUL bytes.

    \ir cleanup.sql
"""

import sys

from connect_gate.check import Reads, info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "unreadable-migration",
    "Migration file that cannot be read as psql runs it",
    Source.MIGRATIONS,
    Status.ERROR,
    reads=Reads.MIGRATION_FILE,
)
