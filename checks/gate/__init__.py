"""The gate's own checks on its inputs (the policy), decided like any other finding."""

from __future__ import annotations

from connect_gate.check import Check
from connect_gate.checks.gate import expired_waiver, unused_waiver

CHECKS: tuple[Check, ...] = tuple(
    Check.of(module)
    for module in (
        expired_waiver,
        unused_waiver,
    )
)
