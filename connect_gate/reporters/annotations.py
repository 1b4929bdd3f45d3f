"""GitHub annotations: `::error` for blocking findings, `::warning` for warnings, `::notice` for waived.

The runner (actions/runner, src/Runner.Worker/ExecutionContext.cs, AddIssue) keeps the first 10
annotations of each kind of a step and cuts a message at 4096 UTF-16 code units (C# string
length). So the slots go first to findings with a file and line (those are what a reviewer sees
on the diff), the most severe first; slots taken by set-up warnings are left to them; and the first
annotation of a kind says how many there are and where the full list is when they do not all fit.
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
MESSAGE_LIMIT = 4000  # UTF-16 code units; the runner cuts at 4096: keep our own ending readable
_KINDS = {Outcome.BLOCK: "error", Outcome.WARN: "warning", Outcome.WAIVED: "notice"}
_NOUNS = {Outcome.BLOCK: "blocking findings", Outcome.WARN: "warnings", Outcome.WAIVED: "waived findings"}


def render_annotations(
    decisions: Sequence[Decision],
    full_report: str,
    workspace: str = "",
    *,
    in_summary: bool = True,
    setup_warnings: int = 0,
) -> str:
    """The annotation lines; `full_report` names where everything is (e.g. the JUnit file).

    `in_summary`: the job summary lists every finding (it is written and was not cut short).
    `setup_warnings`: `::warning` lines printed before these, which take the first slots.
    """
    lines: list[str] = []
    ordered = sorted(most_severe_first(decisions), key=lambda d: d.finding.location is None)  # stable
    where = f"the job summary and in {full_report}" if in_summary else full_report
    for outcome, kind in _KINDS.items():
        chosen = [d for d in ordered if d.outcome is outcome]
        slots = max(0, PER_KIND_LIMIT - (setup_warnings if kind == "warning" else 0))
        for index, decision in enumerate(chosen[:slots]):
            prefix = ""
            if index == 0 and len(chosen) > slots:
                prefix = (
                    f"[{len(chosen)} {_NOUNS[outcome]}; only the first {slots} are annotated. "
                    f"All of them are in {where}.]\n"
                )
            lines.append(_annotation(kind, decision, prefix, workspace))
    return "".join(line + "\n" for line in lines)


def utf16_length(text: str) -> int:
    """The length the runner sees: C# strings count UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def cut_utf16(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 code units, ending with `…`, never inside a character."""
    if utf16_length(text) <= limit:
        return text
    kept, used = [], 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > limit - 1:  # room for the ellipsis
            break
        kept.append(char)
        used += width
    return "".join(kept) + "…"


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
    room = max(MESSAGE_LIMIT - utf16_length(end), MESSAGE_LIMIT // 2)
    return cut_utf16(cut_utf16(head, room) + end, MESSAGE_LIMIT)


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
