"""The policy file: what it accepts, and every message for what it refuses, word for word."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT

from connect_gate.errors import InputError
from connect_gate.findings import Status
from connect_gate.policy.load import load_policy
from connect_gate.policy.model import Action, Selector
from connect_gate.policy.schema import SCHEMA


def refuse(tmp_path: Path, text: str) -> str:
    path = tmp_path / "policy.yml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_policy(path)
    return str(caught.value).replace(f"{tmp_path}/", "")


def test_the_example_policy_loads(tmp_path: Path) -> None:
    policy = load_policy(EXAMPLES / "policy.yml")
    assert policy.defaults[Status.RED] is Action.BLOCK
    assert [(r.selector.check, r.action) for r in policy.rules] == [
        ("MUST_USE_RECENT_API_VERSION", Action.BLOCK),
        ("Configured Logging", Action.IGNORE),
    ]
    waiver = policy.waivers[0]
    assert waiver.expires == datetime.date(2026, 12, 12)
    assert waiver.by == "@platform-team"
    assert waiver.origin.endswith("examples/policy.yml:24 waivers[0]")


def test_full_policy(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "version: 1\n"
        "defaults: {yellow: block, skipped: warn}\n"
        "checks:\n"
        "  - {check: database field changes, mapping: Account, action: warn}\n"
        "  - {check: BRAND_NEW_RULE, unlisted: true, action: ignore}\n"
        "waivers:\n"
        "  - check: Unique Identifier\n"
        "    connection: protected-ridge-4963\n"
        "    reason: tracked in OPS-1\n"
    )
    policy = load_policy(path)
    assert policy.defaults == {
        Status.RED: Action.BLOCK,
        Status.YELLOW: Action.BLOCK,
        Status.SKIPPED: Action.WARN,
        Status.ERROR: Action.BLOCK,
    }
    assert policy.rules[0].selector == Selector("database field changes", "Account")
    assert policy.rules[0].origin == f"{path}:4 checks[0]"
    assert policy.rules[1].selector.check == "BRAND_NEW_RULE"
    assert policy.waivers[0].selector == Selector("Unique Identifier", None, "protected-ridge-4963")
    assert policy.waivers[0].expires is None
    assert policy.waivers[0].by == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "policy.yml:1: (top level): the policy is empty; it needs at least `version: 1`"),
        ("- 1\n", "policy.yml:1: (top level): expected a mapping, got a list"),
        ("checks: []\n", "policy.yml:1: (top level): missing required key 'version'"),
        ("version: 2\n", "policy.yml:1: version: expected 1, got 2"),
        ("version: '1'\n", "policy.yml:1: version: expected 1, got '1'"),
        (
            "version: 1\ndefault:\n  red: warn\n",
            "policy.yml:2: default: unknown key 'default'; did you mean 'defaults'?",
        ),
        (
            "version: 1\ndefaults:\n  red: blok\n",
            "policy.yml:3: defaults.red: expected one of block, warn, ignore; got 'blok' (did you mean 'block'?)",
        ),
        (
            "version: 1\ndefaults:\n  purple: warn\n",
            "policy.yml:3: defaults.purple: unknown key 'purple'; expected one of: error, red, skipped, yellow",
        ),
        (
            "version: 1\nchecks: Unique Identifier\n",
            "policy.yml:2: checks: expected a list, got the text 'Unique Identifier'",
        ),
        (
            "version: 1\nchecks:\n  - check: Unique Identifier\n",
            "policy.yml:3: checks[0]: missing required key 'action'",
        ),
        (
            "version: 1\nchecks:\n  - check: Unique Identifier\n    acton: block\n",
            "policy.yml:3: checks[0]: missing required key 'action'\n"
            "policy.yml:4: checks[0].acton: unknown key 'acton'; did you mean 'action'?",
        ),
        (
            "version: 1\nchecks:\n  - check: Unique Identifer\n    action: block\n",
            "policy.yml:3: checks[0].check: unknown check 'Unique Identifer'; did you mean 'Unique Identifier'? "
            "(if the server added this check after this version of connect-gate, add `unlisted: true` to the entry)",
        ),
        (
            "version: 1\nchecks:\n  - check: MUST_USE_RECENT_API_VERSON\n    action: warn\n",
            "policy.yml:3: checks[0].check: unknown check 'MUST_USE_RECENT_API_VERSON'; did you mean "
            "'MUST_USE_RECENT_API_VERSION'? (if the server added this check after this version of connect-gate, "
            "add `unlisted: true` to the entry)",
        ),
        (
            "version: 1\nchecks:\n  - check: ''\n    action: warn\n",
            "policy.yml:3: checks[0].check: must not be empty",
        ),
        (
            "version: 1\nchecks:\n  - check: Query Size\n    action: block\n    unlisted: yes please\n",
            "policy.yml:5: checks[0].unlisted: expected true or false, got the text 'yes please'",
        ),
        (
            "version: 1\nwaivers:\n  - check: Query Size\n",
            "policy.yml:3: waivers[0]: missing required key 'reason'",
        ),
        (
            "version: 1\nwaivers:\n  - check: Query Size\n    reason: r\n    expires: 31/12/2026\n",
            "policy.yml:5: waivers[0].expires: expected a date as YYYY-MM-DD, got '31/12/2026'",
        ),
        (
            "version: 1\nwaivers:\n  - check: Query Size\n    reason: r\n    expires: 2026-02-30\n",
            "policy.yml:5: waivers[0].expires: '2026-02-30' is not a date in the calendar",
        ),
        (
            "version: 1\nwaivers:\n  - check: Query Size\n    reason: r\n    expires: 2026-12-31T10:00:00\n",
            "policy.yml:5: waivers[0].expires: expected a date as YYYY-MM-DD, got '2026-12-31T10:00:00'",
        ),
        (
            "version: 1\nwaivers:\n  - check: Query Size\n    reason: 42\n",
            "policy.yml:4: waivers[0].reason: expected text, got the number 42",
        ),
        ("version: 1\nversion: 1\n", "policy.yml:2: version: duplicate key 'version'"),
        (
            "version: 1\nchecks: [\n",
            "policy.yml:3: not valid YAML: expected the node content, but found '<stream end>'",
        ),
    ],
)
def test_every_mistake_is_named_by_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    assert refuse(tmp_path, text) == message


def test_all_mistakes_come_in_one_message_in_line_order(tmp_path: Path) -> None:
    text = (
        "version: 1\n"
        "defaults: {red: nope}\n"
        "checks:\n"
        "  - check: Unique Identifer\n"
        "    action: block\n"
        "waivers:\n"
        "  - check: Query Size\n"
        "    reason: r\n"
        "    expires: 2026-13-01\n"
    )
    assert refuse(tmp_path, text).splitlines() == [
        "policy.yml:2: defaults.red: expected one of block, warn, ignore; got 'nope'",
        "policy.yml:4: checks[0].check: unknown check 'Unique Identifer'; did you mean 'Unique Identifier'? "
        "(if the server added this check after this version of connect-gate, add `unlisted: true` to the entry)",
        "policy.yml:9: waivers[0].expires: '2026-13-01' is not a date in the calendar",
    ]


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^nope\.yml: policy file not found$"):
        load_policy("nope.yml")
    with pytest.raises(InputError, match=r"policy file is a directory, expected a file$"):
        load_policy(tmp_path)


def test_the_published_schema_is_the_one_the_loader_uses() -> None:
    published = json.loads((ROOT / "schema" / "policy-v1.schema.json").read_text())
    assert published == SCHEMA, "run `make docs` to rewrite schema/policy-v1.schema.json"


def test_an_unknown_name_without_a_close_match(tmp_path: Path) -> None:
    assert refuse(tmp_path, "version: 1\nchecks:\n  - {check: Zebra, action: warn}\n") == (
        "policy.yml:3: checks[0].check: unknown check 'Zebra' (if the server added this check after this version of connect-gate, add `unlisted: true` to the entry)"
    )


def test_our_own_check_ids_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("version: 1\nchecks:\n  - {check: expired-waiver, action: block}\n")
    assert load_policy(path).rules[0].action is Action.BLOCK
