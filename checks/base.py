"""What every check of ours is: data (id, title, default status, documentation) plus a function.

The function's signature depends on the source (a migration rule reads a statement, a database
check reads the catalogs); the data is the same everywhere, so the policy can name any check and
the reporters can link to its documentation.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import ModuleType

from connect_gate.findings import Source, Status


@dataclass(frozen=True, slots=True)
class CheckInfo:
    id: str  # stable, kebab-case; what a policy or an inline waiver names
    title: str  # the display name in reports
    source: Source
    status: Status  # the status of a finding when the check finds its problem
    doc: str  # the module docstring: why it matters, a bad and a good example

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.title


def info(module: ModuleType, id: str, title: str, source: Source, status: Status) -> CheckInfo:
    """Build a check's data from its module, whose docstring is the user documentation."""
    return CheckInfo(id, title, source, status, inspect.cleandoc(module.__doc__ or ""))
