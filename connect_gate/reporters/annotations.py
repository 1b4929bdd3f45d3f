"""GitHub annotations: `::error` for blocking findings, `::warning` for warnings, `::notice` for waived.

A step shows at most 10 annotations of each kind, so the most severe come first, and the first one
of a kind says how many there are and where the full list is when they do not all fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from connect_gate.decide import Decision, Outcome
from connect_gate.findings import Location
from connect_gate.reporters.fix import fix_line
from connect_gate.reporters.reference import check_line
from connect_gate.verdict import most_severe_first
from connect_gate.workflow import command

PER_KIND_LIMIT = 10
MESSAGE_LIMIT = 4000  # the runner cuts messages at 4096 characters; keep our tail readable
_KINDS = {Outcome.BLOCK: "error", Outcome.WARN: "warning", Outcome.WAIVED: "notice"}
_NOUNS = {Outcome.BLOCK: "blocking findings", Outcome.WARN: "warnings", Outcome.WAIVED: "waived findings"}


def render_annotations(decisions: Sequence[Decision], full_report: str, workspace: str = "") -> str:
    """The annotation lines; `full_report` names where everything is (e.g. the JUnit file)."""
    lines: list[str] = []
    ordered = most_severe_first(decisions)
    for outcome, kind in _KINDS.items():
        chosen = [d for d in ordered if d.outcome is outcome]
        for index, decision in enumerate(chosen[:PER_KIND_LIMIT]):
            prefix = ""
            if index == 0 and len(chosen) > PER_KIND_LIMIT:
                prefix = (
                    f"[{len(chosen)} {_NOUNS[outcome]}; only the first {PER_KIND_LIMIT} are annotated. "
                    f"All of them are in the job summary and in {full_report}.]\n"
                )
            lines.append(_annotation(kind, decision, prefix, workspace))
    return "".join(line + "\n" for line in lines)


def _annotation(kind: str, decision: Decision, prefix: str, workspace: str) -> str:
    finding = decision.finding
    properties: dict[str, str | int] = {}
    if finding.location is not None:
        properties.update(location_properties(finding.location, workspace))
    properties["title"] = annotation_title(decision)
    return command(kind, annotation_message(decision, prefix), properties)


def annotation_title(decision: Decision) -> str:
    finding = decision.finding
    return f"{finding.status.value}: {finding.name} ({finding.scope.name})"


def annotation_message(decision: Decision, prefix: str = "") -> str:
    """The finding's message, the decision's reason, the check's id and documentation, within MESSAGE_LIMIT.

    A long message is cut, not the lines after it: the check id and its documentation always show.
    """
    finding = decision.finding
    tail = [fix_line(decision), f"Decision: {decision.reason}", finding.doc_url, check_line(finding)]
    end = "\n" + "\n".join(part for part in tail if part)
    head = prefix + (finding.message or finding.name)
    room = max(MESSAGE_LIMIT - len(end), MESSAGE_LIMIT // 2)
    if len(head) > room:
        head = head[: room - 1] + "…"
    return (head + end)[:MESSAGE_LIMIT]


def location_properties(location: Location, workspace: str = "") -> dict[str, str | int]:
    """file/line/endLine/col/endColumn; columns only on a single-line span, as the runner wants."""
    props: dict[str, str | int] = {"file": repo_relative(location.file, workspace), "line": location.line}
    end_line = location.end_line or location.line
    if end_line != location.line:
        props["endLine"] = end_line
    elif location.column is not None:
        props["col"] = location.column
        if location.end_column is not None:
            props["endColumn"] = location.end_column
    return props


def repo_relative(file: str, workspace: str) -> str:
    """Paths under the workspace become repository-relative, as annotations and SARIF need."""
    path = PurePosixPath(file)
    if workspace and path.is_absolute():
        try:
            return str(path.relative_to(workspace))
        except ValueError:
            return file
    return file
