"""SARIF 2.1.0 for GitHub code scanning: a pure function from decisions to the document.

Code scanning reads `tool.driver.rules[]` and `results[]`; it places a result on a file and
line, so only findings with a location (the migration rules' findings) become results. Blocked
findings are errors, warnings are warnings, waived ones are notes carrying a suppression with
the waiver's reason (`inSource` for a waiver comment in the SQL, `external` for the policy).
Findings that pass or are skipped are left out: code scanning would show them as alerts.

Columns are counted in Unicode code points (`columnKind`), as `Location` counts them; SARIF's
`endColumn` is the column after the last character, `Location.end_column` the last character.

As code scanning takes it (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning,
and github/codeql-action, src/upload-lib.ts, which validates `uri` as a URI reference): each
`artifactLocation.uri` is percent-encoded per RFC 3986 and relative to the `%SRCROOT%` base (a
file outside the workspace is an absolute `file://` URI); a run holds at most 25,000 results, and
a capped run says so in a tool notification; every rule has a `helpUri`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from connect_gate import __version__
from connect_gate.check import CHECKS_DOC_URL, REPOSITORY_URL, CheckInfo
from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Finding, Location, Status
from connect_gate.reporters.annotations import repo_relative
from connect_gate.serialize import compact_json
from connect_gate.verdict import most_severe_first

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = REPOSITORY_URL
MAX_RESULTS = 25_000  # per run; code scanning refuses more
_LEVEL = {Outcome.BLOCK: "error", Outcome.WARN: "warning", Outcome.WAIVED: "note"}
_DEFAULT_LEVEL = {
    Status.ERROR: "error",
    Status.RED: "error",
    Status.YELLOW: "warning",
    Status.SKIPPED: "note",
    Status.GREEN: "none",
}


INDENT_LIMIT = 1_000  # results; above it the log is written compactly (`compact_json`, ~10x faster)


def sarif_text(document: dict[str, Any]) -> str:
    """The SARIF log as a file: indented for a person to read when small, compact when large."""
    if sum(len(run["results"]) for run in document["runs"]) <= INDENT_LIMIT:
        return json.dumps(document, indent=2) + "\n"
    return compact_json(document) + "\n"


def render_sarif(
    decisions: Sequence[Decision], rules: Mapping[str, CheckInfo], workspace: str = ""
) -> dict[str, Any]:
    """The SARIF log; `rules` is the check registry (`checks.own_checks()`), for docs and levels."""
    located = [d for d in decisions if d.outcome in _LEVEL and d.finding.location is not None]
    shown = located if len(located) <= MAX_RESULTS else most_severe_first(located)[:MAX_RESULTS]
    rule_index: dict[str, int] = {}
    for decision in shown:
        rule_index.setdefault(decision.finding.check_id, len(rule_index))
    first_of = {d.finding.check_id: d.finding for d in reversed(shown)}
    results = _Results(rule_index, workspace)
    for decision in shown:
        results.add(decision)
    driver = {
        "name": "connect-gate",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(rule_id, rules.get(rule_id), first_of[rule_id]) for rule_id in rule_index],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": results.made,
    }
    if len(located) > len(shown):
        left = len(located) - len(shown)
        note = {
            "level": "warning",
            "message": {
                "text": f"{len(located)} results; only the first {MAX_RESULTS} are in this run (code "
                f"scanning takes at most {MAX_RESULTS} per run): {left} left out. All of them are in "
                "results.json and junit.xml."
            },
        }
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [note]}]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


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
    rule["helpUri"] = example.doc_url or (
        check.url if check else f"{CHECKS_DOC_URL}#heroku-connect-diagnostics"
    )
    rule["defaultConfiguration"] = {"level": _DEFAULT_LEVEL[status]}
    rule["properties"] = {"tags": ["heroku-connect", example.source.value]}
    return rule


class _Results:
    """The results of one run, made in order; what many results share is made once: the file's
    URI, the fingerprint of a finding repeated in a file."""

    def __init__(self, rule_index: Mapping[str, int], workspace: str) -> None:
        self.made: list[dict[str, Any]] = []
        self._rule_index = rule_index
        self._workspace = workspace
        self._artifacts: dict[str, dict[str, str]] = {}
        self._keys: dict[tuple[str, str, str, str], str] = {}
        self._seen: dict[str, int] = {}

    def add(self, decision: Decision) -> None:
        finding = decision.finding
        location = finding.location
        assert location is not None  # filtered by the caller
        key = self._fingerprint_key(finding, location)
        occurrence = self._seen[key] = self._seen.get(key, 0) + 1
        result: dict[str, Any] = {
            "ruleId": finding.check_id,
            "ruleIndex": self._rule_index[finding.check_id],
            "level": _LEVEL[decision.outcome],
            "message": {"text": f"{finding.message or finding.name}\nDecision: {decision.reason}"},
            "locations": [{"physicalLocation": self._physical(location)}],
            "partialFingerprints": {"connectGate/v1": f"{key}:{occurrence}"},
        }
        if decision.outcome is Outcome.WAIVED:
            kind = "external" if decision.waiver is not None else "inSource"
            result["suppressions"] = [{"kind": kind, "status": "accepted", "justification": decision.reason}]
        self.made.append(result)

    def _physical(self, location: Location) -> dict[str, Any]:
        region: dict[str, int] = {"startLine": location.line}
        if location.column is not None:
            region["startColumn"] = location.column
        if location.end_line is not None:
            region["endLine"] = location.end_line
        if location.end_column is not None and location.column is not None:
            region["endColumn"] = location.end_column + 1
        artifact = self._artifacts.get(location.file)
        if artifact is None:  # one per file, shared by its results: pathlib was most of the time
            artifact = self._artifacts[location.file] = artifact_location(location.file, self._workspace)
        return {"artifactLocation": artifact, "region": region}

    def _fingerprint_key(self, finding: Finding, location: Location) -> str:
        """Stable across commits: what was found and where, but not the line (lines move)."""
        parts = (finding.check_id, location.file, finding.scope.name, finding.message)
        key = self._keys.get(parts)
        if key is None:
            key = self._keys[parts] = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]
        return key


def artifact_location(file: str, workspace: str) -> dict[str, str]:
    """A repository-relative path as a percent-encoded URI reference against `%SRCROOT%`; a path
    outside the workspace as an absolute `file://` URI."""
    path = PurePosixPath(repo_relative(file, workspace))
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(str(path), safe="/"), "uriBaseId": "%SRCROOT%"}
