"""The pull request's review app could not be created.

Heroku could not build or release the review app (a failed build, a failing postdeploy script,
an add-on that could not be provisioned), so there is no connection to diagnose. The finding
quotes Heroku's own message; it blocks, because nothing about the sync was checked.

Bad: `app.json`'s postdeploy runs `heroku connect:import` with a missing file; the review app
ends `errored`.

Good: the review app reaches `created`; the gate then diagnoses its connection.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from connect_gate.check import Problem, Reads, info
from connect_gate.findings import Source, Status
from connect_gate.heroku.models import ReviewApp

CHECK = info(
    sys.modules[__name__], "review-app-errored", "Review app", Source.LIVE, Status.RED, reads=Reads.REVIEW_APP
)


def find(review_app: ReviewApp) -> Iterator[Problem]:
    if review_app.status == "errored":
        reason = f" ({review_app.error_status})" if review_app.error_status else ""
        yield Problem(
            f"Heroku could not create the review app{reason}: {review_app.message or 'no message given'}"
        )
