"""Something the gate needed from Heroku could not be read, so the checks it feeds did not run.

Besides the diagnostics, the gate asks Heroku for a connection's write errors, its mapping
configuration (`heroku connect:export`, when migrations are analysed with it) and the app's config
var that names its database (`database-url: from-app`). When one of those requests fails (a 404,
a timeout, an answer that cannot be read) after the diagnostics were received, they are still
reported and decided, and what is missing becomes this ERROR finding: nothing unchecked passes. The policy's
`defaults.error` decides it (block by default). A failing write-errors request is an ERROR of the
`write-errors` check itself.

Bad: the export endpoint answers 404 and the run passes without analysing any migration.

Good: the run reports the diagnostics, and this finding names the request that failed and what
it would have fed; rerun once Heroku answers, or give `mapping-config` to use the committed export.
"""

from __future__ import annotations

import sys

from connect_gate.check import Reads, info
from connect_gate.findings import Source, Status

CHECK = info(
    sys.modules[__name__],
    "connection-data-unavailable",
    "Connection data unavailable",
    Source.LIVE,
    Status.ERROR,
    reads=Reads.UNAVAILABLE,
)
