"""A migration inserts, updates or deletes rows of a read-write mapped table.

Connect's triggers capture every change to a read-write mapped table and write it to
Salesforce. A data migration on such a table is therefore a bulk write to the production
Salesforce org: it runs Salesforce validation rules, flows and Apex triggers, uses API calls,
and cannot be rolled back with the migration.

Heroku's "Heroku Connect" article: "Heroku Connect uses database triggers to record changes to be
sent from the database to Salesforce" and "All updates to the database will be written back to
Salesforce subject to user permissions and validation rules in effect within Salesforce."

Bad:

    UPDATE salesforce.account SET industry = 'Retail' WHERE industry IS NULL;

Good: change the data in Salesforce (data loader, a flow), where it is reviewed and audited, and
let Connect bring it back; or keep the derived value in a table of your own:

    INSERT INTO public.account_segment (account_sfid, segment)
        SELECT sfid, 'Retail' FROM salesforce.account WHERE industry IS NULL;
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.mapping_config import Access
from connect_gate.migrations.context import Context, Node
from connect_gate.migrations.nodes import WRITES, written_relations

CHECK = info(
    sys.modules[__name__],
    "write-to-read-write-mapping",
    "Data change pushed to Salesforce",
    Source.MIGRATIONS,
    Status.RED,
    reads=Reads.STATEMENT,
    nodes=(*WRITES, "CopyStmt", "SelectStmt"),
    doc_url="https://devcenter.heroku.com/articles/herokuconnect",
)

VERBS = {
    "InsertStmt": "Inserts into",
    "UpdateStmt": "Updates",
    "DeleteStmt": "Deletes from",
    "MergeStmt": "Merges into",
    "CopyStmt": "Copies into",
}


def writes(node: Node, ctx: Context, access: Access) -> Iterator[tuple[str, Node]]:
    """(verb and table, RangeVar) for each mapped table of this access the statement writes."""
    for kind, rangevar in written_relations(ctx.kind, node):
        relation = ctx.relation(rangevar)
        mapping = ctx.mapping(relation)
        if mapping is not None and mapping.access is access:
            yield f"{VERBS[kind]} {relation} ({mapping.object_name})", rangevar


def find(node: Node, ctx: Context) -> Iterator[Problem]:
    for what, rangevar in writes(node, ctx, Access.READ_WRITE):
        yield Problem(
            f"{what}, a read-write mapping: Heroku Connect captures the change and writes it to "
            "Salesforce, so this migration changes production Salesforce data.",
            rangevar.get("location"),
        )
