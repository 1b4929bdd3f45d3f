"""Discovery, POST /auth, deep detail and the `resource` input, against the fake server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_heroku import (
    API_KEY,
    FakeConnection,
    FakeHeroku,
    FakeMapping,
    seed_connection,
)

from connect_gate.document import Document
from connect_gate.errors import InputError
from connect_gate.heroku import connect
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import Connection, MappingState
from connect_gate.heroku.session import HerokuSession, NotFoundError
from connect_gate.mapping_config import from_export

EXPORT = Path(__file__).resolve().parent.parent / "examples" / "connect-export.json"


def find(fake: FakeHeroku, app: str, resource: str = "") -> list[Connection]:
    with HerokuSession(API_KEY, "the Heroku Connect API") as session:
        return connect.connections(session, fake.url, app, resource, Deadline.after(3, "timeout"))


def two_connections(fake: FakeHeroku) -> None:
    fake.add_connection(
        FakeConnection(
            "shop-eu", "shop", resource_name="herokuconnect-eu-1", mappings=[FakeMapping("Account")]
        )
    )
    fake.add_connection(
        FakeConnection(
            "shop-us", "shop", resource_name="herokuconnect-us-2", mappings=[FakeMapping("Contact")]
        )
    )


def test_the_only_connection_is_found_with_its_deep_detail(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(schema_name="sf", state="POLLING_DB_CHANGES"))
    (found,) = find(fake, "protected-ridge-4963")
    assert (found.name, found.app_name, found.state, found.schema_name, found.db_key) == (
        "protected-ridge-4963",
        "protected-ridge-4963",
        "POLLING_DB_CHANGES",
        "sf",
        "DATABASE_URL",
    )
    assert found.mappings == (MappingState(f"{found.id[:8]}-m0", "Account", "DATA_SYNCED"),)
    assert found.region_url == fake.url
    assert found.record["detail_url"] == f"{fake.url}/api/v3/connections/{found.id}"  # discovery kept
    assert found.record["sf_info"] == {"api_version": "55.0"}  # detail merged over it
    assert fake.count("POST") == 0


def test_an_invisible_connection_is_found_after_post_auth(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(needs_auth=True))
    assert [c.name for c in find(fake, "protected-ridge-4963")] == ["protected-ridge-4963"]
    assert [(r.method, r.path) for r in fake.requests[:3]] == [
        ("GET", "/connections"),
        ("POST", "/auth/protected-ridge-4963"),
        ("GET", "/connections"),
    ]


def test_no_connection_at_all_says_what_was_looked_for(fake: FakeHeroku) -> None:
    with pytest.raises(NotFoundError) as caught:
        find(fake, "empty-app")
    assert str(caught.value) == (
        f"no Heroku Connect connection found for app `empty-app` (GET {fake.url}/connections?app=empty-app, "
        "also after POST /auth/empty-app); check input `app`, or that the app has the Connect add-on"
    )


def test_several_connections_and_no_resource_is_an_input_error_listing_them(fake: FakeHeroku) -> None:
    two_connections(fake)
    with pytest.raises(InputError) as caught:
        find(fake, "shop")
    assert str(caught.value) == (
        "app `shop` has 2 Heroku Connect connections; set input `resource` to one of them or to `all`: "
        "its connections: `herokuconnect-eu-1` (shop-eu), `herokuconnect-us-2` (shop-us)"
    )


def test_resource_picks_one_connection_by_add_on_or_name(fake: FakeHeroku) -> None:
    two_connections(fake)
    assert [c.name for c in find(fake, "shop", "herokuconnect-us-2")] == ["shop-us"]
    assert [c.name for c in find(fake, "shop", "shop-eu")] == ["shop-eu"]


def test_resource_all_gates_every_connection(fake: FakeHeroku) -> None:
    two_connections(fake)
    assert [c.name for c in find(fake, "shop", "all")] == ["shop-eu", "shop-us"]


def test_an_unknown_resource_is_an_input_error(fake: FakeHeroku) -> None:
    two_connections(fake)
    with pytest.raises(InputError) as caught:
        find(fake, "shop", "herokuconnect-xx")
    assert str(caught.value) == (
        "input `resource`: app `shop` has no connection `herokuconnect-xx`; its connections: "
        "`herokuconnect-eu-1` (shop-eu), `herokuconnect-us-2` (shop-us)"
    )


def test_the_export_is_read_like_the_file_heroku_connect_export_writes(fake: FakeHeroku) -> None:
    fake.add_connection(seed_connection(export=json.loads(EXPORT.read_text())))
    with HerokuSession(API_KEY, "the Heroku Connect API") as session:
        deadline = Deadline.after(3, "timeout")
        (found,) = connect.connections(session, fake.url, "protected-ridge-4963", "", deadline)
        payload = connect.export(session, found, deadline)
    config = from_export(Document("export", json.dumps(payload), payload))
    assert (config.schema, [m.table for m in config.mappings]) == ("salesforce", ["account", "contact"])
