"""A waiver in the policy has passed its expiry date.

An expired waiver stops waiving: the finding it covered is decided as if the waiver were not
there. This check reports the expired waiver itself, at its line in the policy file, so that the
team renews it (with a new date and reason) or fixes what it covered.

Bad:

    waivers:
      - check: Unique Identifier
        mapping: Account
        reason: "External ID field lands in the next sprint"
        expires: 2026-01-31        # long gone

Good: fix the mapping, then delete the waiver; or renew it knowingly with a new `expires`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.policy.model import Waiver, WaiverUse

CHECK = info(
    sys.modules[__name__], "expired-waiver", "Expired waiver", Source.GATE, Status.YELLOW, reads=Reads.WAIVER
)


def find(waiver: Waiver, use: WaiverUse) -> Iterator[Problem]:
    if waiver.expires is not None and waiver.expired(use.today):
        yield Problem(
            f"The waiver for {waiver.selector.describe()} expired on {waiver.expires.isoformat()} "
            f"({(use.today - waiver.expires).days} days ago) and no longer waives anything. "
            f"Its reason was: {waiver.reason}"
        )
