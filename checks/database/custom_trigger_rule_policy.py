"""Triggers, rules, policies or row level security on a mapped table that are not Connect's.

Connect supports none of them on its tables: a trigger or rule that changes rows can hide
changes from Connect or fire on Connect's own writes, and a policy can hide rows from it.
Connect also drops objects it does not manage when a mapping is recreated.

Bad:

    CREATE FUNCTION public.audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO public.audit_log SELECT now(), NEW.sfid; RETURN NEW; END $$;
    CREATE TRIGGER audit AFTER UPDATE ON salesforce.account
        FOR EACH ROW EXECUTE FUNCTION public.audit_row();

Good: react to changes in the app, or in Salesforce (a flow, a platform event); keep audit
triggers on the app's own tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.checks.database.base import qualified
from connect_gate.database import names
from connect_gate.findings import Source, Status

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "custom-trigger-rule-policy",
    "Custom trigger, rule or policy",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    mapped = [mapping.table for mapping in state.present_mappings()]
    for table in mapped:
        connect = names.connect_triggers(table)
        for trigger in catalog.triggers_of(table).values():
            if trigger.name not in connect:
                yield Problem(
                    f"trigger {trigger.name} on {qualified(state, table)} "
                    f"(runs {trigger.function}) is not Connect's",
                    subject=table,
                )
    tables = set(mapped)
    for extra in catalog.extras:
        if extra.table in tables:
            name = f" {extra.name}" if extra.name else ""
            yield Problem(f"{extra.kind}{name} on {qualified(state, extra.table)}", subject=extra.table)
