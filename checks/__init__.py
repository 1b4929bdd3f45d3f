"""Every check connect-gate knows, by id: the explicit registry (no discovery magic).

Adding a check: one new module under the source's folder, one line in that folder's registry.
"""

from __future__ import annotations

from checks.base import CheckInfo
from checks.database import DATABASE_INFO
from checks.diagnostics import KNOWN_CHECKS, find_known
from checks.gate import expired_waiver, unused_waiver
from checks.live import LIVE_CHECKS
from checks.migrations import RULES as MIGRATION_RULES
from checks.sandbox import SANDBOX_CHECKS
from connect_gate.findings import Source

GATE_CHECKS: dict[str, CheckInfo] = {
    module.CHECK.id: module.CHECK
    for module in (
        expired_waiver,
        unused_waiver,
    )
}


def own_checks() -> dict[str, CheckInfo]:
    """All of connect-gate's own checks, every source, by id."""
    return {**GATE_CHECKS, **DATABASE_INFO, **MIGRATION_RULES, **LIVE_CHECKS, **SANDBOX_CHECKS}


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
