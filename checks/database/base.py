"""What the database checks share: how a mapped table is named in their messages.

A database check reads the catalogs (`Reads.DATABASE`): `find(state)` yields a Problem whose
`subject` is the mapped table it is about (None: the schema as a whole); the engine
(connect_gate.database.run) stamps the check's id, title and status on each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState


def qualified(state: DatabaseState, table: str) -> str:
    return f"{state.schema}.{table}"
