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

import sys

from checks.base import info
from connect_gate.findings import Source, Status

CHECK = info(sys.modules[__name__], "unused-waiver", "Unused waiver", Source.GATE, Status.YELLOW)
