"""Every check connect-gate knows: the explicit registry (no discovery magic).

Adding a check: one new module under the folder of the data it reads, one line in that folder's
registry (its `CHECKS`). The engines find the checks they run here, by the data they read
(`of_kind`); no engine imports a check module.
"""

from __future__ import annotations

from connect_gate.check import Check, CheckInfo, Reads, reading
from connect_gate.checks import database, gate, live, migrations, sandbox
from connect_gate.checks.diagnostics import KNOWN_CHECKS, find_known
from connect_gate.findings import Source

CHECKS: tuple[Check, ...] = (
    *gate.CHECKS,
    *database.CHECKS,
    *migrations.CHECKS,
    *live.CHECKS,
    *sandbox.CHECKS,
)


def of_kind(reads: Reads) -> tuple[Check, ...]:
    """The checks that read `reads`, in registry order: what the engine holding that data runs."""
    return reading(CHECKS, reads)


def own_checks() -> dict[str, CheckInfo]:
    """All of connect-gate's own checks, every source, by id."""
    return {check.info.id: check.info for check in CHECKS}


def known_names() -> dict[str, str]:
    """Every name a policy may use for a known check, lowercased → the spelling users see.

    Heroku's checks may be named by rule_id or display name; ours by id or title.
    """
    names: dict[str, str] = {}
    for known in KNOWN_CHECKS:
        names[known.display_name.lower()] = known.display_name
        if known.rule_id:
            names[known.rule_id.lower()] = known.rule_id
    for check in own_checks().values():
        names[check.id.lower()] = check.id
        names[check.title.lower()] = check.title
    return names


def source_of(name: str) -> Source | None:
    """Which source produces the check named `name` (any known spelling); None if unknown."""
    if find_known(name) is not None:
        return Source.DIAGNOSTICS
    folded = name.casefold()
    for check in own_checks().values():
        if folded in (check.id.casefold(), check.title.casefold()):
            return check.source
    return None
