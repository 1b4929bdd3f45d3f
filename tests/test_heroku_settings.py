"""The live source's inputs: from flags, `INPUT_*` and the variables Heroku users know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_heroku import API_KEY

from connect_gate.errors import InputError
from connect_gate.heroku.live import LiveParams
from connect_gate.settings import load_settings
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
    ("argv", "message"),
    [
        (
            ["--pr-number", "seven"],
            "input `pr-number` (INPUT_PR-NUMBER): expected a pull request number, got 'seven'",
        ),
        (["--timeout", "0"], "input `timeout` (INPUT_TIMEOUT): expected at least 1 second, got 0"),
        (
            ["--mappings-timeout", "-5"],
            "--mappings-timeout: expected a number of 0 or more, got -5",
        ),
        (["--timeout", "soon"], "--timeout: expected a whole number, got 'soon'"),
    ],
)
def test_bad_values_name_the_input(argv: list[str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        params(["--app", "shop", *argv], {"HEROKU_API_KEY": API_KEY})
    assert str(caught.value) == message
