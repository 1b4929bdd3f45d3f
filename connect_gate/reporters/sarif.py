"""SARIF 2.1.0 for GitHub code scanning: a pure function from decisions to the document.

Code scanning reads `tool.driver.rules[]` and `results[]`; it places a result on a file and
line, so only findings with a location (the migration rules' findings) become results. Blocked
findings are errors, warnings are warnings, waived ones are notes carrying a suppression with
the waiver's reason (`inSource` for a waiver comment in the SQL, `external` for the policy).
Findings that pass or are skipped are left out: code scanning would show them as alerts.

Columns are counted in Unicode code points (`columnKind`), as `Location` counts them; SARIF's
`endColumn` is the column after the last character, `Location.end_column` the last character.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from connect_gate import __version__
from connect_gate.check import REPOSITORY_URL, CheckInfo
from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Finding, Location, Status
from connect_gate.reporters.annotations import repo_relative

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = REPOSITORY_URL
_LEVEL = {Outcome.BLOCK: "error", Outcome.WARN: "warning", Outcome.WAIVED: "note"}
_DEFAULT_LEVEL = {
    Status.ERROR: "error",
    Status.RED: "error",
    Status.YELLOW: "warning",
    Status.SKIPPED: "note",
    Status.GREEN: "none",
}


INDENT_LIMIT = 1_000  # results; above it the log is written compactly (json's C encoder, ~10x faster)


def sarif_text(document: dict[str, Any]) -> str:
    """The SARIF log as a file: indented for a person to read when small, compact when large."""
    if sum(len(run["results"]) for run in document["runs"]) <= INDENT_LIMIT:
        return json.dumps(document, indent=2) + "\n"
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_sarif(
    decisions: Sequence[Decision], rules: Mapping[str, CheckInfo], workspace: str = ""
) -> dict[str, Any]:
    """The SARIF log; `rules` is the check registry (`checks.own_checks()`), for docs and levels."""
    shown = [d for d in decisions if d.outcome in _LEVEL and d.finding.location is not None]
    rule_ids: list[str] = []
    for decision in shown:
        if decision.finding.check_id not in rule_ids:
            rule_ids.append(decision.finding.check_id)
    first_of = {d.finding.check_id: d.finding for d in reversed(shown)}
    seen: dict[str, int] = {}
    results = []
    for decision in shown:
        key = _fingerprint_key(decision.finding)
        seen[key] = seen.get(key, 0) + 1
        results.append(
            _result(decision, rule_ids.index(decision.finding.check_id), key, seen[key], workspace)
        )
    driver = {
        "name": "connect-gate",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule_id, rules.get(rule_id), first_of[rule_id]) for rule_id in rule_ids],
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }


def _rule(rule_id: str, check: CheckInfo | None, example: Finding) -> dict[str, Any]:
    if check is None:  # Heroku's checks are not in our registry: describe them from the finding
        rule: dict[str, Any] = {
            "id": rule_id,
            "name": example.name,
            "shortDescription": {"text": example.name},
        }
        status = example.status
    else:
        rule = {
            "id": rule_id,
            "name": check.title,
            "shortDescription": {"text": check.summary},
            "fullDescription": {"text": check.doc or check.title},
            "help": {"text": check.doc or check.title},
        }
        status = check.status
    if example.doc_url:
        rule["helpUri"] = example.doc_url
    rule["defaultConfiguration"] = {"level": _DEFAULT_LEVEL[status]}
    rule["properties"] = {"tags": ["heroku-connect", example.source.value]}
    return rule


def _result(decision: Decision, rule_index: int, key: str, occurrence: int, workspace: str) -> dict[str, Any]:
    finding = decision.finding
    assert finding.location is not None  # filtered by the caller
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[decision.outcome],
        "message": {"text": f"{finding.message or finding.name}\nDecision: {decision.reason}"},
        "locations": [{"physicalLocation": _physical(finding.location, workspace)}],
        "partialFingerprints": {"connectGate/v1": f"{key}:{occurrence}"},
    }
    if decision.outcome is Outcome.WAIVED:
        kind = "external" if decision.waiver is not None else "inSource"
        result["suppressions"] = [{"kind": kind, "status": "accepted", "justification": decision.reason}]
    return result


def _physical(location: Location, workspace: str) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": location.line}
    if location.column is not None:
        region["startColumn"] = location.column
    if location.end_line is not None:
        region["endLine"] = location.end_line
    if location.end_column is not None and location.column is not None:
        region["endColumn"] = location.end_column + 1
    uri = repo_relative(location.file, workspace)
    return {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": region}


def _fingerprint_key(finding: Finding) -> str:
    """Stable across commits: what was found and where, but not the line (lines move)."""
    assert finding.location is not None
    text = "\0".join((finding.check_id, finding.location.file, finding.scope.name, finding.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
