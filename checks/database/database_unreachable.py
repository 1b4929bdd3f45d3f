"""A database the gate was given could not be reached after the diagnostics were received.

`database-url` (or `from-app`) and `sandbox-url` name databases the gate connects to after it
has read Heroku Connect's diagnostics (or a saved results file, or migrations). When one of them
cannot be reached, or stops answering within `database-timeout`, what was already learned is still
reported and decided, and the checks that needed the database become this ERROR finding, which the
policy's `defaults.error` decides (block by default), whatever `on-error` says: `on-error: warn`
only forgives a run that learned nothing at all (that one still ends with exit status 3, or passes
with a warning).

Bad: the diagnostics are RED, the review app's database refuses connections, and the run ends
with exit status 3 and no report, so nobody sees the RED diagnostics.

Good: the reports show the RED diagnostics and this finding, which names the database (its
password masked) and libpq's reason; rerun once the database answers.
"""

from __future__ import annotations

import sys

from connect_gate.check import Reads, info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "database-unreachable",
    "Database unreachable",
    Source.DATABASE,
    Status.ERROR,
    reads=Reads.UNREACHABLE,
)
