"""What a database check is: its data (CheckInfo) and `find`, a pure function of the database state.

`find` yields Problems; the engine (connect_gate.database.run) turns them into Findings and stamps
the check's id, title and status on each, so the checks never repeat their metadata.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checks.base import CheckInfo

if TYPE_CHECKING:  # the state module loads psycopg2: only the database run needs it
    from connect_gate.database.state import DatabaseState


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check found. `table` is a mapped table's name (a MAPPING finding), None for the schema."""

    table: str | None
    message: str


Find = Callable[["DatabaseState"], Iterable[Problem]]


@dataclass(frozen=True, slots=True)
class DatabaseCheck:
    info: CheckInfo
    find: Find


def qualified(state: DatabaseState, table: str) -> str:
    return f"{state.schema}.{table}"
