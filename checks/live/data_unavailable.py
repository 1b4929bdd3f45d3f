"""Something the gate needed from Heroku could not be read, so the checks it feeds did not run.

Besides the diagnostics, the gate asks Heroku for a connection's write errors, its mapping
configuration (`heroku connect:export`, when the migrations are analysed with it) and the app's
config var that names its database (`database-url: from-app`). When one of those requests fails
(a 404, a timeout, an answer that cannot be read), what was already learned is still reported and
decided, and the checks that needed the missing data become this ERROR finding: nothing unchecked
passes. The policy's `defaults.error` decides it (block by default).

Bad: the export endpoint answers 404 and the run passes without analysing any migration.

Good: the run reports the diagnostics, and this finding names the request that failed and what
it would have fed; rerun once Heroku answers, or give `mapping-config` to use the committed export.
"""

from __future__ import annotations

import sys

from checks.base import info
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status

CHECK = info(
    sys.modules[__name__],
    "connection-data-unavailable",
    "Connection data unavailable",
    Source.LIVE,
    Status.ERROR,
)


def check(connection: str, what: str, feeds: str, failure: str) -> Finding:
    """`what` of `connection` could not be read (`failure` says why), so `feeds` did not run."""
    message = f"Could not read {what}, so {feeds} did not run: {failure}"
    return Finding(
        CHECK.source, CHECK.id, CHECK.title, Scope(ScopeKind.CONNECTION, connection), CHECK.status, message
    )
