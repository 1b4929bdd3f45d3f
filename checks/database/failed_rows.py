"""Rows whose last write to Salesforce failed (`_hc_lastop` = FAILED, the reason in `_hc_err`).

Connect marks a row FAILED when Salesforce rejected its last change; the row then differs from
Salesforce until it is fixed and written again.

Bad: an app writes an Account without a required field; `_hc_err` says e.g.
`REQUIRED_FIELD_MISSING: Required fields are missing: [Name]`.

Good: fix the rows (the app's validation, or the Salesforce rule) and update them again.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState

CHECK = info(
    sys.modules[__name__],
    "failed-row-sync",
    "Rows that failed to sync",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    for failures in state.row_failures():
        samples = f"; _hc_err: {' | '.join(failures.samples)}" if failures.samples else ""
        yield Problem(f"{failures.count} row(s) with _hc_lastop = FAILED{samples}", subject=failures.table)
