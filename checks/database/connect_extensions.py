"""The `hstore` extension and `public.get_xmlbinary()` are there.

Connect's triggers record each change as an `hstore` and fire only when
`public.get_xmlbinary()` says the change is a user's (Connect's own sessions differ); without
either, every write to a mapped table fails or is no longer captured.

Bad:

    DROP EXTENSION hstore CASCADE;   -- takes Connect's functions and triggers with it

Good: keep `hstore` and `public.get_xmlbinary()`; an app that needs another extension adds it
beside them.
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
    "connect-extensions",
    "hstore and get_xmlbinary",
    Source.DATABASE,
    Status.RED,
    reads=Reads.DATABASE,
)


def find(state: DatabaseState) -> Iterator[Problem]:
    catalog = state.catalog()
    if not catalog.hstore:
        yield Problem("the hstore extension is not installed")
    if "public.get_xmlbinary" not in catalog.functions:
        yield Problem("the function public.get_xmlbinary() does not exist")
