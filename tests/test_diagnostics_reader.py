"""The validations payload → findings (reference section 1, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SEED_RESULTS, doc

from connect_gate.document import load_json
from connect_gate.errors import InputError
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.sources.diagnostics import read_results
from connect_gate.sources.results_file import read_results_file

CONN = Scope(ScopeKind.CONNECTION, "my-conn")


def test_seed_payload_gives_the_seed_lines_in_order() -> None:
    findings = read_results(load_json(SEED_RESULTS, "results"), "protected-ridge-4963")
    lines = [(f.scope.title, f"{f.status.value}: {f.name}") for f in findings]
    assert lines[:3] == [
        ("Connection: protected-ridge-4963", "YELLOW: Salesforce API Version"),
        ("Connection: protected-ridge-4963", "YELLOW: View/Modify All Data"),
        ("Connection: protected-ridge-4963", "GREEN: Number of Mappings"),
    ]
    assert ("Account", "RED: Unique Identifier") in lines
    assert lines[-1] == ("Account", "SKIPPED: Synthetic Field/Unique Identifier Field Agreement")
    assert len(findings) == 22
    api = findings[0]
    assert api.check_id == "MUST_USE_RECENT_API_VERSION"
    assert api.doc_url.endswith("#check-salesforce-api-version")
    unique = next(f for f in findings if f.name == "Unique Identifier")
    assert unique.check_id == "Unique Identifier"  # no rule_id: identified by display name
    assert unique.scope == Scope(ScopeKind.MAPPING, "Account", "protected-ridge-4963")


def test_a_mapping_with_nothing_is_valid_and_gives_nothing() -> None:
    assert read_results(doc({"mappings": {"Account": {}}}), "c") == []
    assert read_results(doc({"errors": None, "mappings": None}), "c") == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, r"^results\.json:1: \(top level\): no results: expected at least one of errors, warnings"),
        (
            {"error": []},
            r"^results\.json:2: error: unknown key 'error' in diagnostics results; did you mean 'errors'\?",
        ),
        ({"mappings": {"Lead": {"pass": []}}}, r"^results\.json:4: mappings\.Lead\.pass: unknown key 'pass'"),
    ],
)
def test_nothing_to_read_or_an_unknown_key_is_not_an_empty_pass(payload: object, message: str) -> None:
    """Fail closed: a file without the answer's shape is refused, not read as "0 checks"."""
    with pytest.raises(InputError, match=message):
        read_results(doc(payload), "c")


def test_unknown_checks_flow_through_with_the_colour_of_their_array() -> None:
    payload = {
        "warnings": [{"display_name": "Brand New Check", "message": "m", "rule_id": "NEW_RULE_2027"}],
        "mappings": {"Lead": {"errors": [{"display_name": "Mystery Mapping Check"}]}},
    }
    assert read_results(doc(payload), "my-conn") == [
        Finding(Source.DIAGNOSTICS, "NEW_RULE_2027", "Brand New Check", CONN, Status.YELLOW, "m"),
        Finding(
            Source.DIAGNOSTICS,
            "Mystery Mapping Check",
            "Mystery Mapping Check",
            Scope(ScopeKind.MAPPING, "Lead", "my-conn"),
            Status.RED,
        ),
    ]


def test_the_array_decides_the_colour_not_the_status_field() -> None:
    payload = {"skips": [{"display_name": "Database Plan", "status": "PASSED"}]}
    assert read_results(doc(payload), "c")[0].status is Status.SKIPPED


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            [],
            "results.json:1: (top level): expected the diagnostics results object (with `errors`, `warnings`, ...)",
        ),
        ({"errors": {"a": 1}}, "results.json:2: errors: expected a list of check results"),
        (
            {"passes": ["x"]},
            "results.json:3: passes[0]: expected a check result object with `display_name` and `message`",
        ),
        (
            {"passes": [{"message": "m"}]},
            "results.json:3: passes[0]: a check result needs `display_name` or `rule_id`",
        ),
        ({"passes": [{"display_name": 5}]}, "results.json:4: passes[0].display_name: expected text, got int"),
        ({"mappings": []}, "results.json:2: mappings: expected an object keyed by mapping name"),
        (
            {"mappings": {"Account": [1]}},
            "results.json:3: mappings.Account: expected an object with `errors`, `warnings`, `passes`, `skips`",
        ),
    ],
)
def test_malformed_payloads_name_file_line_and_key(payload: object, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_results(doc(payload), "c")
    assert str(caught.value) == message


def test_results_file_errors(tmp_path: Path) -> None:

    base = tmp_path
    (base / "bad.json").write_text('{"errors": [\n  {"display_name": "x",}\n]}')
    with pytest.raises(InputError) as caught:
        read_results_file(str(base / "bad.json"), "")
    assert str(caught.value) == (
        f"{base}/bad.json:2:24: diagnostics results file is not valid JSON: Expecting property name enclosed in double quotes"
    )
    with pytest.raises(InputError) as caught:
        read_results_file(str(base / "missing.json"), "")
    assert str(caught.value) == f"{base}/missing.json: diagnostics results file not found"


def test_connection_name_defaults_to_the_file_stem() -> None:
    findings = read_results_file(str(SEED_RESULTS), "")
    assert findings[0].scope.name == "protected-ridge-4963"
    assert read_results_file(str(SEED_RESULTS), "review-pr-42")[0].scope.name == "review-pr-42"


@pytest.mark.parametrize(
    ("text", "line", "escape"),
    [
        (
            '{"errors": [\n  {"display_name": "Unique \\ud800Identifier"}\n]}',
            2,
            "\\ud800",
        ),  # a high half alone
        (
            '{"mappings": {\n\n  "Acc\\udc00ount": {"errors": []}}}',
            3,
            "\\udc00",
        ),  # a low half alone, in a key
        ('{"errors": [{"display_name": "x", "message": ["\\ud83d"]}]}', 1, "\\ud83d"),  # in a list
    ],
)
def test_half_a_surrogate_pair_is_refused_at_its_line(
    tmp_path: Path, text: str, line: int, escape: str
) -> None:
    # JSON can spell it, Python decodes it, and no report could be written with it (UTF-8 cannot).
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_results_file(str(tmp_path / "bad.json"), "")
    assert str(caught.value) == (
        f"{tmp_path}/bad.json:{line}: diagnostics results file cannot be read: "
        f"{escape} is half of a UTF-16 surrogate pair, not a character"
    )


def test_a_whole_surrogate_pair_is_a_character(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(
        '{"errors": [{"display_name": "Emoji \\ud83d\\ude00"}]}', encoding="utf-8"
    )
    [finding] = read_results_file(str(tmp_path / "ok.json"), "c")
    assert finding.name == "Emoji \U0001f600"
