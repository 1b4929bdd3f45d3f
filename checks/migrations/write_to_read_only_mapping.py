"""A migration inserts, updates or deletes rows of a read-only mapped table.

A read-only mapping copies Salesforce into Postgres and nothing back. A change made in SQL is not
sent to Salesforce, and Postgres and Salesforce disagree until Connect writes the record again
(when it changes in Salesforce, or when the table is reloaded).

Heroku's "Heroku Connect Trigger Log" (quoted from its Japanese edition, in translation): changes
to read-only mappings are captured in the trigger log too, but Heroku Connect does nothing with
them.

Bad:

    UPDATE salesforce.contact SET email = lower(email);

Good: change the data in Salesforce, or keep the derived value in a table of your own:

    CREATE TABLE public.contact_email (contact_sfid varchar(18) PRIMARY KEY, email text);
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.checks.migrations.write_to_read_write_mapping import writes
from connect_gate.findings import Source, Status
from connect_gate.mapping_config import Access
from connect_gate.migrations.context import Context, Node
from connect_gate.migrations.nodes import WRITES

CHECK = info(
    sys.modules[__name__],
    "write-to-read-only-mapping",
    "Data change overwritten by the sync",
    Source.MIGRATIONS,
    Status.YELLOW,
    reads=Reads.STATEMENT,
    nodes=(*WRITES, "CopyStmt", "SelectStmt"),
    doc_url="https://devcenter.heroku.com/articles/heroku-connect-trigger-log",
)


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    for what, rangevar in writes(node, ctx, Access.READ_ONLY):
        yield Problem(
            f"{what}, a read-only mapping: the change never reaches Salesforce and Heroku Connect "
            "overwrites it at the next sync.",
            rangevar.get("location"),
        )
