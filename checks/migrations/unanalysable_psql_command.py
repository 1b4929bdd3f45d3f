r"""A psql meta-command runs SQL or shell commands the gate cannot see.

`\gexec` runs the rows a query returns as SQL; `\gset` stores them in variables that later
statements interpolate (`:name`); `\!`, `\setenv`, pipes (`\o |cmd`, `\g |cmd`, `\w |cmd`),
back-quoted arguments and `\copy ... program` run shell commands. What they do to the database is
decided when the migration runs, so the gate cannot check it. Status ERROR; the default policy
blocks on it. (`\copy` itself is analysed as the COPY it runs, and `\i`/`\ir` are followed; every
other meta-command is skipped on purpose, see docs/checks.md.)

Bad:

    SELECT format('DROP TABLE %I.%I', schemaname, tablename) FROM pg_tables
     WHERE schemaname = 'salesforce' \gexec

Good: write the statements out, so that the gate (and the reviewer) can read them.

    DROP TABLE public.old_report;
"""

import sys

from checks.base import info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "unanalysable-psql-command",
    "psql command running SQL the gate cannot see",
    Source.MIGRATIONS,
    Status.ERROR,
)
