"""run_live: from app or pipeline + PR to diagnostics payloads and our own findings."""

from __future__ import annotations

import traceback

import pytest
from fake_heroku import (
    API_KEY,
    FakeConnection,
    FakeHeroku,
    FakeMapping,
    FakeReviewApp,
    Fault,
    live_params,
    seed_connection,
)

from connect_gate.checks import own_checks
from connect_gate.errors import InputError, ServiceError
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.heroku.live import LiveResult, run_live
from connect_gate.workflow import Progress

SEED = "protected-ridge-4963"
CONNECTION = Scope(ScopeKind.CONNECTION, SEED)


def live(fake: FakeHeroku, lines: list[str] | None = None, **changes: object) -> LiveResult:
    return run_live(live_params(fake, **changes), Progress(write=(lines if lines is not None else []).append))


def finding(check_id: str, name: str, status: Status, message: str, scope: Scope = CONNECTION) -> Finding:
    return Finding(Source.LIVE, check_id, name, scope, status, message, own_checks()[check_id].url)


def test_the_seed_app_gives_its_payload_and_a_green_write_errors_check(fake: FakeHeroku) -> None:
    connection = fake.add_connection(seed_connection())
    result = live(fake, app=SEED)
    assert [(d.connection, d.payload) for d in result.connections] == [(SEED, connection.results)]
    assert result.findings == (
        finding(
            "write-errors", "Write errors (last 24 h)", Status.GREEN, "No write errors in the last 24 hours."
        ),
    )


def test_the_prs_review_app_is_diagnosed(fake: FakeHeroku) -> None:
    fake.add_review_app(
        "shop", FakeReviewApp(7, "feature", SEED, timeline=[(0, "creating"), (0.2, "created")])
    )
    fake.add_connection(seed_connection())
    result = live(fake, pipeline="shop", pr_number=7)
    assert [d.connection for d in result.connections] == [SEED]
    assert fake.requests[-5].query == {"app": [SEED]}  # discovery by the review app's name


def test_an_errored_review_app_is_one_blocking_finding(fake: FakeHeroku) -> None:
    fake.add_review_app(
        "shop",
        FakeReviewApp(7, "feature", "shop-pr-7", timeline=[(0, "errored")], message="Release phase failed"),
    )
    result = live(fake, pipeline="shop", pr_number=7)
    assert result.connections == ()
    assert result.findings == (
        finding(
            "review-app-errored",
            "Review app",
            Status.RED,
            "Heroku could not create the review app (build_failed): Release phase failed",
            Scope(ScopeKind.CONNECTION, "review app of PR #7 in pipeline shop"),
        ),
    )


def test_neither_app_nor_pipeline_is_an_input_error(fake: FakeHeroku) -> None:
    with pytest.raises(InputError) as caught:
        live(fake)
    assert str(caught.value) == "set input `app`, or input `pipeline` to find the pull request's review app"


@pytest.mark.parametrize("state", ["NEW", "NEED_AUTHENTICATION"])
def test_a_connection_not_authorised_yet_is_not_configured_and_not_diagnosed(
    fake: FakeHeroku, state: str
) -> None:
    fake.add_connection(seed_connection(state=state, mappings=[]))
    result = live(fake, app=SEED)
    assert result.connections == ()
    assert result.findings == (
        finding(
            "connection-not-configured",
            "Connection not configured",
            Status.RED,
            f"Connection `{SEED}` of app `{SEED}` is {state}: Salesforce is not authorised yet, so there is "
            "nothing to diagnose. Authorise it and import the mappings.",
        ),
    )
    assert fake.count("POST", "/api/v3/") == 0


def test_a_connection_without_mappings_is_not_configured(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(mappings=[]))
    (only,) = live(fake, app=SEED).findings
    assert (only.check_id, only.status, only.message) == (
        "connection-not-configured",
        Status.RED,
        f"Connection `{SEED}` of app `{SEED}` has no mappings yet: import the mapping configuration "
        "(`heroku connect:import`), then run the gate again.",
    )


def test_broken_states_are_findings_and_diagnostics_still_run(fake: FakeHeroku) -> None:
    fake.add_connection(
        seed_connection(
            state="DB_UNAVAILABLE",
            mappings=[FakeMapping("Account", "BULK_LOAD_ERROR"), FakeMapping("Contact", "RELOAD_TABLE")],
        )
    )
    result = live(fake, app=SEED)
    assert len(result.connections) == 1
    assert result.findings[:3] == (
        finding(
            "connection-state",
            "Connection state",
            Status.RED,
            f"Connection `{SEED}` is DB_UNAVAILABLE: it is not syncing.",
        ),
        finding(
            "mapping-state",
            "Mapping state",
            Status.RED,
            "Mapping Account is BULK_LOAD_ERROR: it is not syncing.",
            Scope(ScopeKind.MAPPING, "Account", SEED),
        ),
        finding(
            "mapping-syncing",
            "Mapping still syncing",
            Status.YELLOW,
            "Mapping Contact is still syncing (RELOAD_TABLE); its diagnostics may change when it settles.",
            Scope(ScopeKind.MAPPING, "Contact", SEED),
        ),
    )


def test_a_paused_connection_warns(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(state="PAUSED"))
    assert live(fake, app=SEED).findings[0] == finding(
        "connection-state",
        "Connection state",
        Status.YELLOW,
        f"Connection `{SEED}` is PAUSED: sync is paused.",
    )


def test_loading_mappings_are_waited_for_within_mappings_timeout(fake: FakeHeroku) -> None:
    fake.add_connection(
        seed_connection(
            mappings=[FakeMapping("Account", "LOADING_BULK_JOB", later_state="DATA_SYNCED", change_after=0.3)]
        )
    )
    lines: list[str] = []
    result = live(fake, lines, app=SEED, mappings_timeout=3.0)
    assert [f.check_id for f in result.findings] == ["write-errors"]
    assert f"::group::Mappings of {SEED} still syncing" in lines
    assert "  all mappings settled" in lines


def test_the_diagnostics_timeout_starts_after_the_wait_for_mappings(fake: FakeHeroku) -> None:
    fake.add_connection(
        seed_connection(
            mappings=[FakeMapping("Account", "RESYNC", later_state="DATA_SYNCED", change_after=0.6)]
        )
    )
    result = live(fake, app=SEED, mappings_timeout=3.0, timeout=0.5)
    assert [d.connection for d in result.connections] == [SEED]


def test_mappings_still_loading_at_mappings_timeout_are_reported(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(mappings=[FakeMapping("Account", "LOADING_BULK_JOB")]))
    result = live(fake, app=SEED, mappings_timeout=0.3)
    assert [(f.check_id, f.status) for f in result.findings] == [
        ("mapping-syncing", Status.YELLOW),
        ("write-errors", Status.GREEN),
    ]


def test_write_errors_warn_with_count_tables_and_a_few_messages(fake: FakeHeroku) -> None:
    errors = [
        {
            "id": n,
            "table_name": table,
            "record_id": n,
            "message": f"REQUIRED_FIELD_MISSING: [LastName] #{n}",
            "created_at": "2026-11-27T10:00:00Z",
        }
        for n, table in enumerate(["contact", "contact", "account", "contact"], start=1)
    ]
    fake.add_connection(seed_connection(write_errors=errors))
    assert live(fake, app=SEED).findings == (
        finding(
            "write-errors",
            "Write errors (last 24 h)",
            Status.YELLOW,
            "4 write error(s) to Salesforce in the last 24 hours, on account (1), contact (3):\n"
            "- contact record 1: REQUIRED_FIELD_MISSING: [LastName] #1\n"
            "- contact record 2: REQUIRED_FIELD_MISSING: [LastName] #2\n"
            "- account record 3: REQUIRED_FIELD_MISSING: [LastName] #3\n"
            "- ... and 1 more (Heroku Connect dashboard, Logs & Errors)",
        ),
    )


def test_every_connection_with_resource_all(fake: FakeHeroku) -> None:
    for name in ("shop-eu", "shop-us"):
        fake.add_connection(
            FakeConnection(name, "shop", resource_name=f"hc-{name}", mappings=[FakeMapping("Lead")])
        )
    result = live(fake, app="shop", resource="all")
    assert [d.connection for d in result.connections] == ["shop-eu", "shop-us"]


SCENARIOS = {
    "401": lambda f: f.script("GET", "/connections", Fault.http(401), times=None),
    "503": lambda f: f.script("GET", "/connections", Fault.http(503), times=None),
    "429": lambda f: f.script("GET", "/connections", Fault.rate_limited(60), times=None),
    "reset": lambda f: f.script("GET", "/api/v3/connections/", Fault.reset(), times=None),
    "cut off": lambda f: f.script("GET", "/api/v3/validations/", Fault.truncate(), times=None),
    "garbage": lambda f: f.script("GET", "/api/v3/validations/", Fault.garbage(), times=None),
    "slow": lambda f: f.add_connection(seed_connection(app_name="other", ready_after=60)),
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_api_key_never_shows_in_progress_errors_or_reprs(fake: FakeHeroku, scenario: str) -> None:
    fake.add_connection(seed_connection(pending_polls=1))
    SCENARIOS[scenario](fake)
    lines: list[str] = []
    app = "other" if scenario == "slow" else SEED
    params = live_params(fake, app=app, timeout=1.0)
    with pytest.raises((ServiceError, InputError)) as caught:
        run_live(params, Progress(write=lines.append))
    traceback_text = "".join(traceback.format_exception(caught.value))
    seen = "\n".join([*lines, traceback_text, repr(caught.value), repr(params)])
    assert API_KEY not in seen
    assert "Traceback" not in traceback_text.split("\n", 1)[1]  # no chained exception drags requests along


def test_names_from_heroku_cannot_start_a_workflow_command(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(name="::error::forged\n::add-mask::x"))
    lines: list[str] = []
    live(fake, lines, app=SEED)
    assert [line for line in lines if line.strip().startswith("::")] == [
        "::group::Heroku Connect connections of app protected-ridge-4963",
        "::endgroup::",
        "::group::Heroku Connect diagnostics of ::error::forged%0A::add-mask::x",
        "::endgroup::",
    ]
    Progress(write=lines.append).line("::error::x")
    assert lines[-1] == "  > ::error::x"
