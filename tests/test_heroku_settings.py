"""The live source's inputs: from flags, `INPUT_*` and the variables Heroku users know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_heroku import API_KEY

from connect_gate.errors import InputError
from connect_gate.heroku.live import LiveParams
from connect_gate.settings import OnError, load_settings
from connect_gate.sources.live import live_params


def params(argv: list[str], env: dict[str, str]) -> LiveParams:
    return live_params(load_settings(argv, env))


def test_the_action_inputs_reach_the_live_source(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 42, "head": {"ref": "feature-x"}}}))
    env = {
        "INPUT_HEROKU-API-KEY": API_KEY,
        "INPUT_PIPELINE": "shop",
        "INPUT_RESOURCE": "all",
        "INPUT_TIMEOUT": "120",
        "INPUT_REVIEW-APP-TIMEOUT": "900",
        "INPUT_MAPPINGS-TIMEOUT": "60",
        "GITHUB_EVENT_PATH": str(event),
        "HEROKU_API_URL": "http://127.0.0.1:5000",
        "CONNECT_DISCOVERY_SERVER": "http://127.0.0.1:5001",
    }
    got = params([], env)
    assert (got.api_key, got.pipeline, got.pr_number, got.branch, got.resource) == (
        API_KEY,
        "shop",
        42,
        "feature-x",
        "all",
    )
    assert (got.timeout, got.review_app_timeout, got.mappings_timeout) == (120.0, 900.0, 60.0)
    assert (got.platform_url, got.discovery_url) == ("http://127.0.0.1:5000", "http://127.0.0.1:5001")


def test_defaults_and_the_heroku_cli_key_variable() -> None:
    got = params(["--app", "shop"], {"HEROKU_API_KEY": API_KEY})
    assert (
        got.api_key,
        got.app,
        got.pr_number,
        got.timeout,
        got.review_app_timeout,
        got.mappings_timeout,
    ) == (API_KEY, "shop", None, 300.0, 600.0, 0.0)
    assert (got.platform_url, got.discovery_url) == (
        "https://api.heroku.com",
        "https://hc-central.heroku.com",
    )


def test_flags_win_and_the_key_stays_out_of_reprs() -> None:
    settings = load_settings(
        ["--app", "shop", "--pr-number", "7", "--heroku-api-key", API_KEY], {"INPUT_APP": "x"}
    )
    assert API_KEY not in repr(settings) and API_KEY not in repr(live_params(settings))
    assert (live_params(settings).app, live_params(settings).pr_number) == ("shop", 7)


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--pr-number", "seven"], {}, "--pr-number: expected a pull request number, got 'seven'"),
        (
            [],
            {"INPUT_PR-NUMBER": "0"},
            "input `pr-number` (INPUT_PR-NUMBER): expected a pull request number, got '0'",
        ),
        ([], {"INPUT_TIMEOUT": "0"}, "input `timeout` (INPUT_TIMEOUT): expected at least 1 second, got 0"),
        (["--review-app-timeout", "0"], {}, "--review-app-timeout: expected at least 1 second, got 0"),
        (["--mappings-timeout", "-5"], {}, "--mappings-timeout: expected a number of 0 or more, got -5"),
        (["--timeout", "soon"], {}, "--timeout: expected a whole number, got 'soon'"),
        (
            [],
            {"INPUT_ON-ERROR": "ignore"},
            "input `on-error` (INPUT_ON-ERROR): expected one of fail, warn, got 'ignore'",
        ),
        (
            [],
            {"INPUT_CHANGED-ONLY": "yes"},
            "input `changed-only` (INPUT_CHANGED-ONLY): expected one of auto, true, false, got 'yes'",
        ),
        (
            [],
            {"INPUT_PR-COMMENT": "sometimes"},
            "input `pr-comment` (INPUT_PR-COMMENT): expected one of never, on-failure, always, got 'sometimes'",
        ),
        (
            [],
            {"INPUT_MIGRATIONS": "!db/seeds/**"},
            "input `migrations` (INPUT_MIGRATIONS): !db/seeds/**: no pattern selects files (all start with `!`)",
        ),
        (
            ["--search-path", "app,,public"],
            {},
            "--search-path: expected schema names separated by commas, got 'app,,public'",
        ),
        (
            [],
            {"INPUT_FAILED-HOURS": "a day"},
            "input `failed-hours` (INPUT_FAILED-HOURS): expected a whole number, got 'a day'",
        ),
    ],
)
def test_bad_values_name_the_input_before_anything_runs(
    argv: list[str], env: dict[str, str], message: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_settings(["--app", "shop", *argv], {"HEROKU_API_KEY": API_KEY, **env})
    assert str(caught.value) == message


def test_typed_values_from_the_inputs() -> None:
    settings = load_settings(
        ["--migrations", "none"],
        {"INPUT_SEARCH-PATH": " app , public ", "INPUT_PR-NUMBER": "12", "INPUT_ON-ERROR": "warn"},
    )
    assert (settings.migrations, settings.search_path, settings.pr_number, settings.on_error) == (
        None,
        ("app", "public"),
        12,
        OnError.WARN,
    )
