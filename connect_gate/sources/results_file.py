"""`--results-file`: saved diagnostics (the exact JSON the API returns) or our own results file."""

from __future__ import annotations

from pathlib import Path

from connect_gate.document import load_json
from connect_gate.findings import Finding, Source
from connect_gate.serialize import RESULTS_FORMAT, finding_from_dict
from connect_gate.settings import Settings
from connect_gate.sources.base import Gathered, Need
from connect_gate.sources.diagnostics import read_results
from connect_gate.workflow import Progress


class ResultsFile:
    provides: frozenset[Need] = frozenset()

    def wanted(self, settings: Settings) -> bool:
        return bool(settings.results_file)

    def needs(self, settings: Settings) -> frozenset[Need]:
        return frozenset()

    def gather(self, settings: Settings, got: Gathered, needed: frozenset[Need], progress: Progress) -> None:
        got.findings += read_results_file(settings.results_file, settings.connection_name)
        got.ran.add(Source.DIAGNOSTICS)


RESULTS_SIZE_LIMIT = 64 * 1024 * 1024  # bytes: a results.json of 100,000 findings fits


def read_results_file(path: str, connection_name: str) -> list[Finding]:
    """Findings from a results file; `connection_name` (default: the file's stem) names the connection."""
    doc = load_json(path, "diagnostics results file", RESULTS_SIZE_LIMIT)
    data = doc.data
    if isinstance(data, dict) and data.get("format") == RESULTS_FORMAT:
        items = data.get("findings")
        if not isinstance(items, list):
            raise doc.error(("findings",), "expected the list of findings of a connect-gate results file")
        findings = []
        for index, item in enumerate(items):
            try:
                finding = finding_from_dict(item)
                location = finding.location
                if location is not None and not all(
                    isinstance(n, int) and not isinstance(n, bool) and n >= 0
                    for n in (
                        location.line,
                        location.column or 0,
                        location.end_line or 0,
                        location.end_column or 0,
                    )
                ):
                    raise ValueError("a location's line and columns are whole numbers")
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise doc.error(("findings", index), f"not a connect-gate finding ({exc})") from None
            if finding.source is not Source.GATE:  # the policy's own findings are recomputed
                findings.append(finding)
        return findings
    return read_results(doc, connection_name or Path(path).stem)
