"""Finding an app's Heroku Connect connections, the way the official CLI plugin does.

Discovery (`GET /connections?app=`) on hc-central, or on `CONNECT_DISCOVERY_SERVER`; when nothing
is visible, `POST /auth/<app>` puts the user on the add-on's access list and discovery runs again.
Each chosen connection's deep detail (`?deep=true`) is merged over its discovery record.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from connect_gate.errors import InputError, ServiceError
from connect_gate.heroku.deadline import Deadline
from connect_gate.heroku.models import Connection, text
from connect_gate.heroku.session import HerokuSession, NotFoundError

DISCOVERY_URL = "https://hc-central.heroku.com"
EVERY_CONNECTION = "all"  # the `resource` input that gates every connection of the app


def connections(
    session: HerokuSession, discovery_url: str, app: str, resource: str, deadline: Deadline
) -> list[Connection]:
    """The connections of `app` to gate: the one named by `resource`, the only one, or all."""
    base = discovery_url.rstrip("/")
    records = _discover(session, base, app, deadline)
    if not records:
        session.post(f"{base}/auth/{quote(app)}", f"Heroku app `{app}`", deadline)
        records = _discover(session, base, app, deadline)
    if not records:
        raise NotFoundError(
            f"no Heroku Connect connection found for app `{app}` (GET {base}/connections?app={app}, "
            f"also after POST /auth/{app}); check input `app`, or that the app has the Connect add-on"
        )
    return [detail(session, record, deadline) for record in select(records, app, resource)]


def select(records: list[dict[str, Any]], app: str, resource: str) -> list[dict[str, Any]]:
    """Apply the `resource` input: a connection's add-on name or name, `all`, or empty for the only one."""
    if resource == EVERY_CONNECTION:
        return records
    if resource:
        chosen = [r for r in records if resource in (r.get("resource_name"), r.get("name"))]
        if not chosen:
            raise InputError(
                f"input `resource`: app `{app}` has no connection `{resource}`; {_listing(records)}"
            )
        return chosen
    if len(records) > 1:
        raise InputError(
            f"app `{app}` has {len(records)} Heroku Connect connections; set input `resource` to one "
            f"of them or to `all`: {_listing(records)}"
        )
    return records


def detail(session: HerokuSession, record: dict[str, Any], deadline: Deadline) -> Connection:
    """The deep detail of a discovered connection, merged over its discovery record."""
    source = "Heroku Connect discovery"
    url = text(record, "detail_url", source)
    name = record.get("name") or record.get("internal_name") or record.get("id")
    answer = session.get(url, f"Heroku Connect connection `{name}`", deadline, params={"deep": "true"})
    if not isinstance(answer.data, dict):
        raise ServiceError(
            f"the Heroku Connect API answered GET {url} with {type(answer.data).__name__}, not an object"
        )
    return Connection.from_record({**record, **answer.data}, f"GET {url}")


def write_errors(session: HerokuSession, connection: Connection, deadline: Deadline) -> object:
    """The connection's write errors of the last 24 hours (raw payload)."""
    answer = session.get(
        f"{connection.api_url}/errors", f"write errors of connection `{connection.name}`", deadline
    )
    return answer.data


def export(session: HerokuSession, connection: Connection, deadline: Deadline) -> object:
    """The mapping configuration, as `heroku connect:export` writes it (read it with `from_export`)."""
    answer = session.get(
        f"{connection.api_url}/actions/export",
        f"mapping configuration of connection `{connection.name}`",
        deadline,
    )
    return answer.data


def _discover(session: HerokuSession, base: str, app: str, deadline: Deadline) -> list[dict[str, Any]]:
    answer = session.get(f"{base}/connections", f"Heroku app `{app}`", deadline, params={"app": app})
    results = answer.data.get("results") if isinstance(answer.data, dict) else None
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise ServiceError(
            f"Heroku Connect discovery answered GET {base}/connections without a `results` list"
        )
    return results


def _listing(records: list[dict[str, Any]]) -> str:
    names = ", ".join(f"`{r.get('resource_name')}` ({r.get('name')})" for r in records)
    return f"its connections: {names}"
