"""Writes from Postgres to Salesforce failed in the last 24 hours.

A read-write mapping pushes every INSERT, UPDATE and DELETE on its table to Salesforce. A write
Salesforce refuses (a validation rule, a required field, a duplicate) stays in the database
and never reaches Salesforce: the two sides now disagree. Heroku Connect keeps these errors for
24 hours; the gate reports their count, the tables and a few of the messages.

Bad: a data migration inserts contacts without `LastName`:

    INSERT INTO salesforce.contact (email) VALUES ('a@example.com');
    -- REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]

Good: the migration fills every field Salesforce requires, or the data is loaded in Salesforce.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.heroku.models import Connection, Unreadable

CHECK = info(
    sys.modules[__name__],
    "write-errors",
    "Write errors (last 24 h)",
    Source.LIVE,
    Status.YELLOW,
    reads=Reads.WRITE_ERRORS,
)
SHOWN = 3  # messages quoted in the finding
MESSAGE_LENGTH = 200


def find(connection: Connection, payload: object) -> Iterator[Problem]:
    if isinstance(payload, Unreadable):
        yield Problem(f"Could not read the write errors: {payload.failure}", status=Status.ERROR)
        return
    results = payload.get("results") if isinstance(payload, dict) else None
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        yield Problem("The write errors answer had no `results` list.", status=Status.ERROR)
        return
    if not results:
        yield Problem("No write errors in the last 24 hours.", status=Status.GREEN)
        return
    tables = Counter(str(r.get("table_name", "?")) for r in results)
    count = payload.get("count", len(results)) if isinstance(payload, dict) else len(results)
    lines = [
        f"{count} write error(s) to Salesforce in the last 24 hours, on "
        + ", ".join(f"{table} ({n})" for table, n in sorted(tables.items()))
        + ":"
    ]
    for result in results[:SHOWN]:
        message = " ".join(str(result.get("message", "")).split())[:MESSAGE_LENGTH]
        lines.append(f"- {result.get('table_name', '?')} record {result.get('record_id', '?')}: {message}")
    if len(results) > SHOWN:
        lines.append(f"- ... and {len(results) - SHOWN} more (Heroku Connect dashboard, Logs & Errors)")
    yield Problem("\n".join(lines))
