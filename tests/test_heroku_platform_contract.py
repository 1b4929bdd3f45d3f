"""The Heroku Platform API as Heroku publishes it, not as we picture it.

Heroku describes the Platform API in a JSON hyper-schema (https://api.heroku.com/schema,
https://devcenter.heroku.com/articles/json-schema-for-platform-api). No package registry ships that
file, so these tests read two artifacts generated from it, installed by `make .tools/contracts.stamp`
(part of `make test`):

- the routes: Heroku's Go client (https://github.com/heroku/heroku-go, Debian's
  golang-github-cyberdelia-heroku-go-dev 5.5.0-1), generated from the schema's `links`: each call is
  `fmt.Sprintf("/pipelines/%v/review-apps", pipelineID)`, its parameter named `...ID` where the
  schema takes only an id and `...Identity` where it takes an id or a name;
- the definitions: Heroku's TypeScript types of the schema (npm @heroku-cli/schema 2.0.1,
  https://github.com/heroku/typescript-api-schema), against which the TypeScript compiler checks
  every body the fake serves.

Without them the tests fail (they never skip): the fake must not drift from Heroku again.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests
from fake_heroku import API_KEY, FakeHeroku, FakeReviewApp, live_params, seed_connection

from connect_gate.heroku.live import run_live

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
HEROKU_GO = TOOLS / "heroku-go/usr/share/gocode/src/github.com/cyberdelia/heroku-go/v5/heroku.go"
TSC = TOOLS / "node_modules/typescript/bin/tsc"
TYPES = TOOLS / "node_modules/@heroku-cli/schema/lib/index.d.ts"
MISSING = "Heroku's published contracts are not installed: run `make .tools/contracts.stamp`"

# The schema's definition (as @heroku-cli/schema names its type) of what each route answers.
BODY_TYPES = {
    "/pipelines/{pipeline_id_or_name}": "Pipeline",
    "/pipelines/{pipeline_id}/review-apps": "ReviewApp[]",
    "/apps/{app_id_or_name}": "App",
    "/apps/{app_id_or_name}/config-vars": "ConfigVars",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def published_routes() -> set[tuple[str, str]]:
    """Every route of Heroku's Go client as (method, path), parameters written `{id}` (an id only)
    or `{id_or_name}` (the schema's `identity`)."""
    assert HEROKU_GO.is_file(), MISSING
    calls = re.findall(
        r's\.(Get|Post|Patch|Put|Delete)\(ctx, [&\w]+, fmt\.Sprintf\("([^"]*)"((?:, \w+)*)\)',
        HEROKU_GO.read_text(encoding="utf-8"),
    )
    routes = set()
    for method, template, arguments in calls:
        names = [name.strip() for name in arguments.split(",") if name.strip()]
        pieces = template.split("%v")
        path = pieces[0] + "".join(
            ("{id}" if name.endswith("ID") else "{id_or_name}") + piece
            for name, piece in zip(names, pieces[1:], strict=True)
        )
        routes.add((method.upper(), path))
    return routes


def kinds(template: str) -> str:
    """`/pipelines/{pipeline_id}/review-apps` → `/pipelines/{id}/review-apps`, as published_routes."""
    return re.sub(r"\{\w+?_(id_or_name|id)\}", r"{\1}", template)


def test_the_published_routes_are_read() -> None:
    routes = published_routes()
    assert len(routes) > 250  # the whole API, not a parse that found nothing
    assert ("GET", "/pipelines/{id}/review-apps") in routes  # the id only: not a name
    assert ("GET", "/pipelines/{id_or_name}") in routes


def test_every_platform_route_the_fake_serves_is_published_with_its_identifier_kind() -> None:
    routes = published_routes()
    served = [(method, template) for method, template, _ in FakeHeroku.PLATFORM_ROUTES]
    assert [(m, t) for m, t in served if (m, kinds(t)) not in routes] == []
    assert sorted(BODY_TYPES) == sorted(t for _, t in served)  # every route's body is checked below


def platform_requests(fake: FakeHeroku) -> list[tuple[str, str]]:
    connect_paths = ("/connections", "/auth/", "/api/v3/")
    return [(r.method, r.path) for r in fake.requests if not r.path.startswith(connect_paths)]


@pytest.mark.parametrize("by", ["name", "id"])
def test_the_gate_calls_published_routes_with_ids_where_ids_are_required(fake: FakeHeroku, by: str) -> None:
    fake.add_review_app("shop", FakeReviewApp(7, "feature", "protected-ridge-4963"))
    fake.add_connection(seed_connection())
    fake.config_vars["protected-ridge-4963"] = {"DATABASE_URL": "postgres://u:p@127.0.0.1:1/d"}
    pipeline = "shop" if by == "name" else fake.pipelines["shop"]
    result = run_live(live_params(fake, pipeline=pipeline, pr_number=7, with_database_url=True))
    assert [d.connection for d in result.connections] == ["protected-ridge-4963"]
    calls = platform_requests(fake)
    assert [path for _, path in calls] == [
        f"/pipelines/{pipeline}",
        f"/pipelines/{fake.pipelines['shop']}/review-apps",
        "/apps/app-id-protected-ridge-4963",  # the review app's app, by the id the listing gives
        "/apps/protected-ridge-4963/config-vars",
    ]
    routes = published_routes()
    for method, path in calls:
        assert any(verb == method and fits(path, route) for verb, route in routes), (
            f"{method} {path} is not a route of Heroku's Platform API, or passes a name where "
            "Heroku's schema takes only an id"
        )


def fits(path: str, route: str) -> bool:
    """Does `path` match the published `route`, with a UUID wherever the route takes only an id?"""
    segments, expected = path.split("/"), route.split("/")
    return len(segments) == len(expected) and all(
        want == "{id_or_name}" or (want == "{id}" and bool(UUID.match(got))) or want == got
        for got, want in zip(segments, expected, strict=True)
    )


def test_a_name_where_an_id_is_required_does_not_fit() -> None:
    assert fits("/pipelines/9e11e000-0000-4000-8000-000000000000/review-apps", "/pipelines/{id}/review-apps")
    assert not fits("/pipelines/shop/review-apps", "/pipelines/{id}/review-apps")
    assert fits("/pipelines/shop", "/pipelines/{id_or_name}")


def served_bodies(fake: FakeHeroku) -> dict[str, list[Any]]:
    """Ask each Platform route of the fake for every kind of answer it gives; 2xx bodies by route."""
    timeline = [(0.0, "pending"), (0.0, "creating")]
    fake.add_review_app("shop", FakeReviewApp(1, "a", "shop-pr-1", timeline=timeline))
    fake.add_review_app("shop", FakeReviewApp(2, "b", "shop-pr-2"))
    fake.add_review_app("shop", FakeReviewApp(None, "c", "shop-c", timeline=[(0, "errored")], message="boom"))
    fake.add_review_app("shop", FakeReviewApp(4, "d", "shop-pr-4", timeline=[(0, "deleted")]))
    fake.add_review_app("shop", FakeReviewApp(5, "e", "shop-pr-5", timeline=[(0, "pending")]))
    fake.config_vars["shop-pr-2"] = {"DATABASE_URL": "postgres://u:p@127.0.0.1:1/d", "EMPTY": ""}
    fake.page_size = 3
    auth = {"Authorization": f"Bearer {API_KEY}"}
    shop = fake.pipelines["shop"]
    paths = [
        "/pipelines/shop",
        f"/pipelines/{shop}",
        f"/pipelines/{shop}/review-apps",
        "/apps/shop-pr-2",
        "/apps/app-id-shop-pr-2",
        "/apps/shop-pr-2/config-vars",
    ]
    for path in paths:
        requests.get(fake.url + path, headers=auth, timeout=5).raise_for_status()
    next_page = {"Range": f"id ]{sorted(a.id for a in fake.review_apps['shop'])[2]}..; max=3"}
    requests.get(f"{fake.url}/pipelines/{shop}/review-apps", headers=auth | next_page, timeout=5)
    bodies: dict[str, list[Any]] = {}
    for response in fake.responses:
        template = next(
            t
            for m, t, _ in fake.PLATFORM_ROUTES
            if re.match(re.sub(r"\{\w+\}", "[^/]+", t) + "$", response.path)
        )
        assert 200 <= response.status < 300
        bodies.setdefault(template, []).append(response.body)
    return bodies


def typescript_check(tmp_path: Path, sources: dict[str, str]) -> str:
    """Run the TypeScript compiler (strict) on `sources` against Heroku's types; its report."""
    assert TSC.is_file() and TYPES.is_file(), MISSING
    for name, text in sources.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "skipLibCheck": True,
            "types": [],
            "paths": {"@heroku-cli/schema": [str(TYPES)]},
        },
        "files": sorted(sources),
    }
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    done = subprocess.run(
        ["node", str(TSC), "-p", str(tmp_path / "tsconfig.json")],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    return done.stdout + done.stderr


def typed(bodies: dict[str, list[Any]]) -> str:
    names = sorted({BODY_TYPES[t].removesuffix("[]") for t in bodies})
    lines = [f"import type {{{', '.join(names)}}} from '@heroku-cli/schema'"]
    for template, answers in sorted(bodies.items()):
        for index, body in enumerate(answers):
            variable = re.sub(r"\W+", "_", template).strip("_")
            lines.append(f"export const {variable}_{index}: {BODY_TYPES[template]} = {json.dumps(body)}")
    return "\n".join(lines) + "\n"


def test_every_body_the_fake_serves_has_herokus_types(fake: FakeHeroku, tmp_path: Path) -> None:
    bodies = served_bodies(fake)
    assert sorted(bodies) == sorted(BODY_TYPES)
    statuses = {app["status"] for answer in bodies["/pipelines/{pipeline_id}/review-apps"] for app in answer}
    assert statuses == {"pending", "creating", "created", "errored", "deleted"}
    # The same check must catch a body that strays from the schema (a control in the same run).
    strays: dict[str, list[Any]] = {
        "/pipelines/{pipeline_id}/review-apps": [[{"id": "x", "status": "ready", "pr_number": "7"}]],
        "/pipelines/{pipeline_id_or_name}": [{"id": 7, "name": "shop"}],
    }
    report = typescript_check(tmp_path, {"served.ts": typed(bodies), "strays.ts": typed(strays)})
    errors = re.findall(r"^(\w+\.ts)\(\d+,\d+\): error (TS\d+)", report, re.MULTILINE)
    assert [e for e in errors if e[0] != "strays.ts"] == [], report
    assert len([e for e in errors if e[0] == "strays.ts"]) == 3, report  # id, status, pr_number
