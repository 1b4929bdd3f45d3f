"""The Heroku Connect API as the official plugin uses it: what it sends, what it reads.

Heroku publishes no schema for the Connect API; the official client, heroku/heroku-connect-plugin
(https://github.com/heroku/heroku-connect-plugin, read at release 0.13.3), is the contract. Each
test names the plugin file it follows. Our client must be at least as tolerant as the plugin, and
the fake no more lenient than the plugin's expectations.
"""

from __future__ import annotations

import pytest
from fake_heroku import API_KEY, FakeConnection, FakeHeroku, FakeMapping, Fault, seed_connection

from connect_gate.errors import ServiceError
from connect_gate.heroku import connect
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import Connection
from connect_gate.heroku.session import HerokuSession
from connect_gate.heroku.validations import PollPlan, run_validations
from connect_gate.workflow import SILENT

SEED = "protected-ridge-4963"
QUICK = PollPlan(first=0.01, cap=0.01)


def find(fake: FakeHeroku, app: str = SEED, resource: str = "") -> list[Connection]:
    with HerokuSession(API_KEY, "the Heroku Connect API") as session:
        return connect.connections(session, fake.url, app, resource, Deadline.after(3, "timeout"))


@pytest.mark.parametrize("identifier", ["", "c0ffee00-0000-4000-8000-000000000000"])
def test_discovery_a_connection_id_is_a_number_or_a_string(fake: FakeHeroku, identifier: str) -> None:
    """src/lib/clients/discovery.ts: `GET /connections?app=<app>` with the Bearer token;
    src/lib/connect/api.ts reads `data.results` and types a connection `id: number`."""
    fake.add_connection(seed_connection(id=identifier))
    (found,) = find(fake)
    served = fake.responses[0].body["results"][0]["id"]
    assert type(served) is (int if not identifier else str)  # the fake serves numbers by default
    assert found.id == str(served)
    assert found.api_url == f"{fake.url}/api/v3/connections/{served}"
    discovery = fake.requests[0]
    assert (discovery.path, discovery.query) == ("/connections", {"app": [SEED]})
    assert discovery.headers["Authorization"] == f"Bearer {API_KEY}"


def test_detail_is_the_deep_detail_url_merged_over_discovery_and_named_as_the_plugin_names_it(
    fake: FakeHeroku,
) -> None:
    """src/lib/clients/connect.ts getDetails: `GET ${detail_url}?deep=true`; src/lib/connect/api.ts
    merges it over the discovery record; src/commands/connect/diagnose.ts titles the connection
    `connection.name || connection.internal_name`."""
    fake.add_connection(seed_connection(name="", db_key="HEROKU_POSTGRESQL_RED_URL"))
    (found,) = find(fake)
    detail = fake.requests[1]
    assert (detail.path, detail.query) == (f"/api/v3/connections/{found.id}", {"deep": ["true"]})
    assert found.name == f"{SEED}:HEROKU_POSTGRESQL_RED_URL:salesforce"  # internal_name
    assert (found.mappings[0].object_name, found.db_key) == ("Account", "HEROKU_POSTGRESQL_RED_URL")


def test_detail_without_region_url_is_refused_as_the_plugin_refuses_it(fake: FakeHeroku) -> None:
    """src/lib/connect/api.ts request(): `Must provide region URL` when `region_url` is missing."""
    connection = fake.add_connection(seed_connection())
    detail_url = f"{fake.url}/api/v3/connections/{connection.id}"
    record = f'{{"id": {connection.id}, "detail_url": "{detail_url}"}}'
    fake.script("GET", r"^/connections$", Fault.http(200, f'{{"count": 1, "results": [{record}]}}'))
    fake.script(
        "GET", r"^/api/v3/connections/\d+$", Fault.http(200, f'{{"id": {connection.id}, "mappings": []}}')
    )
    with pytest.raises(ServiceError, match="region_url"):
        find(fake)


def test_validations_are_polled_until_a_200_and_any_other_2xx_means_running(fake: FakeHeroku) -> None:
    """src/commands/connect/diagnose.ts: `POST /api/v3/connections/${id}/validations` on the
    region, read `result_url`, `GET` it until `response.status === 200`; other 2xx: ask again."""
    connection = fake.add_connection(seed_connection(pending_polls=1))
    fake.script("GET", "/api/v3/validations/", Fault.http(204))
    (found,) = find(fake)
    with HerokuSession(API_KEY, "the Heroku Connect API") as session:
        payload = run_validations(session, found, Deadline.after(3, "timeout"), SILENT, QUICK)
    assert payload == connection.results
    calls = [(r.method, r.path) for r in fake.requests[2:]]
    token = calls[1][1].rsplit("/", 1)[1]
    assert calls == [
        ("POST", f"/api/v3/connections/{found.id}/validations"),
        *[("GET", f"/api/v3/validations/{token}")] * 3,  # 204 (scripted), 202, 200
    ]
    assert fake.responses[-3].body == {"result_url": f"{fake.url}/api/v3/validations/{token}"}  # absolute


def test_write_errors_are_read_by_the_fields_the_plugin_shows(fake: FakeHeroku) -> None:
    """src/lib/connect/api.ts getWriteErrors: `GET /api/v3/connections/${id}/errors`, reads
    `count` and `results[]` with `created_at`, `id`, `message`, `record_id`, `table_name`."""
    error = {
        "id": 9001,
        "created_at": "2026-11-27T14:00:00Z",
        "table_name": "contact",
        "record_id": 42,
        "message": "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]",
    }
    fake.add_connection(seed_connection(write_errors=[error]))
    (found,) = find(fake)
    with HerokuSession(API_KEY, "the Heroku Connect API") as session:
        payload = connect.write_errors(session, found, Deadline.after(3, "timeout"))
    assert fake.requests[-1].path == f"/api/v3/connections/{found.id}/errors"
    assert payload == {"count": 1, "results": [error]}


def test_export_is_the_body_the_plugin_writes_to_its_file(fake: FakeHeroku) -> None:
    """src/commands/connect/export.ts: `GET /api/v3/connections/${id}/actions/export`, and
    `JSON.stringify(response.data)` is the file `heroku connect:export` writes."""
    export = {"version": 1, "connection": {"app_name": SEED}, "mappings": [{"object_name": "Account"}]}
    fake.add_connection(FakeConnection(SEED, SEED, mappings=[FakeMapping("Account")], export=export))
    (found,) = find(fake)
    with HerokuSession(API_KEY, "the Heroku Connect API") as session:
        assert connect.export(session, found, Deadline.after(3, "timeout")) == export
    assert fake.requests[-1].path == f"/api/v3/connections/{found.id}/actions/export"


@pytest.mark.parametrize("detail_url", ["no-scheme/connections/1", "https://", "ftp//x"])
def test_a_detail_url_that_cannot_be_requested_is_a_service_error_not_a_traceback(
    fake: FakeHeroku, detail_url: str
) -> None:
    """src/lib/clients/connect.ts getDetails requests `detail_url` as given: an address Heroku
    answered that is no URL is Heroku's answer we cannot use (exit 3), never an uncaught error."""
    record = f'{{"id": 1, "detail_url": "{detail_url}"}}'
    fake.script("GET", r"^/connections$", Fault.http(200, f'{{"count": 1, "results": [{record}]}}'))
    with pytest.raises(ServiceError, match="cannot be requested"):
        find(fake)
