r"""A psql meta-command runs SQL or shell commands the gate cannot see.

`\gexec` runs the rows a query returns as SQL; `\gset` stores them in variables that later
statements interpolate (`:name`); `\!`, `\setenv`, pipes (`\o |cmd`, `\g |cmd`, `\w |cmd`),
back-quoted arguments and `\copy ... program` run shell commands. What they do to the database is
decided when the migration runs, so the gate cannot check it. Status ERROR; the default policy
blocks on it.

`\copy` itself is analysed as the COPY it runs, and `\i`, `\include`, `\ir`, `\include_relative`
are followed. Every other meta-command is skipped on purpose: it prints (`\echo`, `\qecho`,
`\warn`, `\p`, `\d...`, `\l`, `\z`, `\sf`, `\sv`, `\h`, `\?`, `\conninfo`, `\copyright`,
`\errverbose`), sets psql's own options (`\set`, `\unset`, `\pset`, `\timing`, `\x`, `\a`, `\t`,
`\f`, `\C`, `\H`, `\T`, `\encoding`, `\prompt`, `\password`, `\cd`), changes the connection
(`\c`, `\connect`), writes output to a file (`\o file`, `\w file`), works on large objects
(`\lo_*`), branches (`\if`, `\elif`, `\else`, `\endif`: every branch is analysed), sends the
statement typed so far (`\g`, `\gx`, `\gdesc`, `\crosstabview`, `\watch`: analysed like one ended
by `;`), throws it away (`\r`), edits (`\e`, `\ef`, `\ev`) or quits (`\q`). `\;` and `\:` put a
`;` or `:` into the statement, as psql does.

Bad:

    SELECT format('DROP TABLE %I.%I', schemaname, tablename) FROM pg_tables
     WHERE schemaname = 'salesforce' \gexec

Good: write the statements out, so that the gate (and the reviewer) can read them.

    DROP TABLE public.old_report;
"""

import sys

from connect_gate.check import Reads, info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "unanalysable-psql-command",
    "psql command running SQL the gate cannot see",
    Source.MIGRATIONS,
    Status.ERROR,
    reads=Reads.MIGRATION_FILE,
)
