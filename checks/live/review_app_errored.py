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

from checks.base import info
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.heroku.models import ReviewApp

CHECK = info(sys.modules[__name__], "review-app-errored", "Review app", Source.LIVE, Status.RED)


def check(review_app: ReviewApp, pipeline: str) -> Finding:
    scope = Scope(ScopeKind.CONNECTION, f"review app of {review_app.label} in pipeline {pipeline}")
    reason = f" ({review_app.error_status})" if review_app.error_status else ""
    message = f"Heroku could not create the review app{reason}: {review_app.message or 'no message given'}"
    return Finding(CHECK.source, CHECK.id, CHECK.title, scope, CHECK.status, message)
