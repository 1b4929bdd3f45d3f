"""Heroku Connect's validations payload → findings.

The payload is what `GET result_url` answers with 200 (and what `--results-file` holds):

    {"errors": [...], "warnings": [...], "passes": [...], "skips": [...],
     "mappings": {"Account": {"errors": [...], ...}}}

Every key may be missing. The server decides the colour by the array a result sits in; unknown
checks flow through like known ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connect_gate.document import Document, KeyPath
from connect_gate.findings import Finding, Scope, ScopeKind, Source, Status
from connect_gate.suggest import did_you_mean

ARRAYS = (
    ("errors", Status.RED),
    ("warnings", Status.YELLOW),
    ("passes", Status.GREEN),
    ("skips", Status.SKIPPED),
)
MAPPING_KEYS = tuple(key for key, _ in ARRAYS)
TOP_KEYS = (*MAPPING_KEYS, "mappings")


def read_results(doc: Document, connection: str) -> list[Finding]:
    """All findings of one connection's validations payload, connection-level first.

    Within a scope, results keep the server's order by colour: RED, YELLOW, GREEN, SKIPPED,
    which is the order `heroku connect:diagnose` prints them in.
    """
    payload = doc.data
    if not isinstance(payload, dict):
        raise doc.error((), "expected the diagnostics results object (with `errors`, `warnings`, ...)")
    _known_keys(doc, (), payload, TOP_KEYS)
    if not payload:
        raise doc.error(
            (), f"no results: expected at least one of {', '.join(TOP_KEYS)} (Heroku's diagnostics answer)"
        )
    scope = Scope(ScopeKind.CONNECTION, connection)
    findings = list(_scope_findings(doc, (), payload, scope))
    mappings = payload.get("mappings", {})
    if mappings is None:
        mappings = {}
    if not isinstance(mappings, dict):
        raise doc.error(("mappings",), "expected an object keyed by mapping name")
    for object_name, raw in mappings.items():
        path: KeyPath = ("mappings", object_name)
        results = {} if raw is None else raw
        if not isinstance(results, dict):
            raise doc.error(path, "expected an object with `errors`, `warnings`, `passes`, `skips`")
        _known_keys(doc, path, results, MAPPING_KEYS)
        mapping_scope = Scope(ScopeKind.MAPPING, str(object_name), connection)
        findings.extend(_scope_findings(doc, path, results, mapping_scope))
    return findings


def _known_keys(doc: Document, path: KeyPath, results: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """A key Heroku never sends is a misspelling or another file: reading around it would pass
    results that were never read."""
    for key in results:
        if key not in allowed:
            hint = did_you_mean(str(key), allowed) or f"expected one of {', '.join(allowed)}"
            raise doc.error((*path, key), f"unknown key {str(key)!r} in diagnostics results; {hint}")


def _scope_findings(doc: Document, path: KeyPath, results: dict[str, Any], scope: Scope) -> Iterator[Finding]:
    for key, status in ARRAYS:
        items = results.get(key) or []
        if not isinstance(items, list):
            raise doc.error((*path, key), "expected a list of check results")
        for index, item in enumerate(items):
            yield _finding(doc, (*path, key, index), item, scope, status)


def _finding(doc: Document, path: KeyPath, item: Any, scope: Scope, status: Status) -> Finding:
    if not isinstance(item, dict):
        raise doc.error(path, "expected a check result object with `display_name` and `message`")
    name = _text(doc, path, item, "display_name")
    rule_id = _text(doc, path, item, "rule_id")
    if not name and not rule_id:
        raise doc.error(path, "a check result needs `display_name` or `rule_id`")
    return Finding(
        source=Source.DIAGNOSTICS,
        check_id=rule_id or name,
        name=name or rule_id,
        scope=scope,
        status=status,
        message=_text(doc, path, item, "message"),
        doc_url=_text(doc, path, item, "doc_url"),
    )


def _text(doc: Document, path: KeyPath, item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise doc.error((*path, key), f"expected text, got {type(value).__name__}")
    return value
