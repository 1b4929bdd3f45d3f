"""Findings to and from plain JSON data, for the results file a later step or a rerun reads."""

from __future__ import annotations

from typing import Any

import orjson

from connect_gate.findings import Finding, Location, Scope, ScopeKind, Source, Status

RESULTS_FORMAT = "connect-gate-results"


def compact_json(document: Any) -> str:
    """What `json.dumps(document, ensure_ascii=False, separators=(",", ":"))` writes, 10x faster:
    encoding was most of the time of results.json and SARIF on 10,000 findings, even with
    json's C encoder. For plain data (str keys, no floats) the text is the same to the byte:
    UTF-8 as is, and the same escapes (`\\n`, `\\"`, `\\u001b`...)."""
    return orjson.dumps(document).decode("utf-8")


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    data = {
        "source": finding.source.value,
        "check_id": finding.check_id,
        "name": finding.name,
        "scope": {
            "kind": finding.scope.kind.value,
            "name": finding.scope.name,
            "connection": finding.scope.connection,
        },
        "status": finding.status.value,
        "message": finding.message,
        "doc_url": finding.doc_url,
        "location": location_to_dict(finding.location) if finding.location else None,
    }
    if finding.mapping:
        data["mapping"] = finding.mapping
    return data


def location_to_dict(location: Location) -> dict[str, Any]:
    """What `dataclasses.asdict` gives, written out: asdict deep-copies and was most of the time
    of results.json on 10,000 findings."""
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
    }


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """The inverse of finding_to_dict; raises KeyError, TypeError or ValueError on bad data."""
    scope = data["scope"]
    location = data.get("location")
    return Finding(
        source=Source(data["source"]),
        check_id=str(data["check_id"]),
        name=str(data["name"]),
        scope=Scope(ScopeKind(scope["kind"]), str(scope["name"]), str(scope.get("connection", ""))),
        status=Status(data["status"]),
        message=str(data.get("message", "")),
        doc_url=str(data.get("doc_url", "")),
        location=Location(**location) if location else None,
        mapping=str(data.get("mapping", "")),
    )
