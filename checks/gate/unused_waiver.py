"""A waiver in the policy matched no finding that needed waiving.

Either the problem it covered is fixed (delete the waiver, so it cannot hide the problem if it
comes back) or the waiver names the check or mapping wrongly and waives nothing.

Bad:

    waivers:
      - check: Unique Identifier
        mapping: Acount            # typo: waives nothing, Account still blocks
        reason: "tracked in JIRA-123"

Good: name the mapping exactly as the diagnostics do (`Account`), or delete the waiver once the
check is GREEN.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.policy.model import Waiver, WaiverUse

CHECK = info(
    sys.modules[__name__], "unused-waiver", "Unused waiver", Source.GATE, Status.YELLOW, reads=Reads.WAIVER
)


def find(waiver: Waiver, use: WaiverUse) -> Iterator[Problem]:
    if not waiver.expired(use.today) and not use.used and use.could_match:
        yield Problem(
            f"The waiver for {waiver.selector.describe()} matched no finding that would block or warn "
            "in this run; delete it if the problem is fixed, or correct its check or mapping name."
        )
