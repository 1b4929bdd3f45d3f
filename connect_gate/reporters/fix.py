"""The "How to fix: …" line under a blocking or warning Heroku finding, from the check catalogue.

Only Heroku's checks get it: ours explain the fix in their own message. The text lives once, in
checks/diagnostics.py; `connect-gate explain` prints the rest.
"""

from __future__ import annotations

from connect_gate.checks.diagnostics import how_to_fix
from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Source


def fix_line(decision: Decision) -> str:
    """`How to fix: …`, or "" when the finding passes, is ours, or is a check the catalogue lacks."""
    finding = decision.finding
    if finding.source is not Source.DIAGNOSTICS or decision.outcome not in (Outcome.BLOCK, Outcome.WARN):
        return ""
    fix = how_to_fix(finding.check_id, finding.name)
    return f"How to fix: {fix}" if fix else ""
