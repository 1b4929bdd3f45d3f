"""The connection is not set up yet: Salesforce is not authorised, or nothing is mapped.

A review app's Heroku Connect add-on starts in state NEW (or NEED_AUTHENTICATION) until someone,
or a script with a stored Salesforce login, authorises Salesforce and imports the mappings.
Until then Heroku's diagnostics have nothing to check, and a green result would be a lie: the
gate reports "not configured" and blocks by default. A policy may let it pass (for example while
review apps are authorised by hand).

Bad: the review app is created and the gate runs before anyone connects Salesforce:

    state: NEED_AUTHENTICATION, mappings: []

Good: authorise Salesforce for the review app (by hand, or in its postdeploy script with a stored
login) and import the mappings (`heroku connect:import connect-export.json`), so that the
connection is IDLE with its mappings when the gate runs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.heroku.models import Connection
from connect_gate.heroku.states import CONNECTION_NOT_SET_UP

CHECK = info(
    sys.modules[__name__],
    "connection-not-configured",
    "Connection not configured",
    Source.LIVE,
    Status.RED,
    reads=Reads.CONNECTION_SETUP,
)


def find(connection: Connection) -> Iterator[Problem]:
    if connection.state in CONNECTION_NOT_SET_UP:
        yield Problem(
            f"Connection `{connection.name}` of app `{connection.app_name}` is {connection.state}: "
            "Salesforce is not authorised yet, so there is nothing to diagnose. "
            "Authorise it and import the mappings."
        )
    elif not connection.mappings:
        yield Problem(
            f"Connection `{connection.name}` of app `{connection.app_name}` has no mappings yet: import "
            "the mapping configuration (`heroku connect:import`), then run the gate again."
        )
