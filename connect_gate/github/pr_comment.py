"""One pull request comment, kept up to date: what blocks, what changed since the last run.

The comment starts with a hidden marker, so each run finds it and edits it in place instead of
adding another; it ends with a hidden block holding the commit and the keys of the findings that
blocked, so the next run can say what is new and what was fixed. When nothing blocks any more the
comment says so (resolved) and stays. Text from findings is escaped like the job summary's cells,
so it cannot close the hidden block or forge a marker.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connect_gate.decide import Decision, Outcome
from connect_gate.github.client import GitHubClient, GitHubError
from connect_gate.github.report import Report
from connect_gate.github.target import Target
from connect_gate.reporters.console import format_location
from connect_gate.reporters.summary import cell
from connect_gate.verdict import Verdict, most_severe_first, verdict_line

MARKER = "<!-- connect-gate:pr-comment -->"
_STATE = re.compile(r"<!-- connect-gate:state (\{[^<>]*\}) -->\s*\Z")  # the last line only
ROWS = 30  # blocking findings listed; the check run and the job summary have them all
KEYS = 2000  # blocking findings remembered for the next run (about 26 kB of the 65,536 allowed)
MESSAGE_CHARS = 300


@dataclass(frozen=True, slots=True)
class Previous:
    """What the last run left in its comment."""

    sha: str
    blocking: frozenset[str]
    complete: bool  # False when it had more blocking findings than it could remember
    blocked_before: bool = False  # something blocked on this pull request at some run


@dataclass(frozen=True, slots=True)
class Links:
    check_run: str = ""
    run: str = ""  # the workflow run, with the report artifact


def finding_key(decision: Decision) -> str:
    """Stable across pushes: the check, the scope and the file, not the line (lines move)."""
    finding = decision.finding
    file = finding.location.file if finding.location else ""
    text = "\x1f".join((finding.check_id, finding.scope.label, file))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def previous_state(body: str) -> Previous | None:
    match = _STATE.search(body)
    if not match:
        return None
    try:
        state: Any = json.loads(match.group(1))
        keys = frozenset(str(k) for k in state["blocking"])
        return Previous(str(state["sha"]), keys, bool(state["complete"]), bool(state.get("blocked")))
    except (ValueError, KeyError, TypeError):
        return None  # edited by hand: start afresh


def render_comment(
    decisions: Sequence[Decision], verdict: Verdict, sha: str, previous: Previous | None, links: Links
) -> str:
    blocking = [d for d in most_severe_first(decisions) if d.outcome is Outcome.BLOCK]
    keys = sorted({finding_key(d) for d in blocking})
    lines = [MARKER]
    if blocking:
        head = "❌ connect-gate blocks this pull request"
    else:
        resolved = previous is not None and (bool(previous.blocking) or previous.blocked_before)
        head = "✅ connect-gate: resolved" if resolved else "✅ connect-gate passes"
    lines += [f"### {head} at {sha[:7]}", "", cell(verdict_line(verdict))]
    lines += ["", _changes(blocking, previous)]
    if blocking:
        lines += ["", "| | Check | Where | Message | Why |", "|---|---|---|---|---|"]
        lines += [_row(d, previous) for d in blocking[:ROWS]]
        if len(blocking) > ROWS:
            lines += ["", f"… and {len(blocking) - ROWS} more blocking findings."]
    where = [f"[check run]({links.check_run})" if links.check_run else ""]
    where.append(f"[workflow run, report artifact]({links.run})" if links.run else "")
    if any(where):
        lines += ["", "Details: " + " · ".join(w for w in where if w)]
    blocked = bool(keys) or (previous is not None and (bool(previous.blocking) or previous.blocked_before))
    state = {"sha": sha, "blocking": keys[:KEYS], "complete": len(keys) <= KEYS, "blocked": blocked}
    lines += ["", f"<!-- connect-gate:state {json.dumps(state, separators=(',', ':'))} -->"]
    return "\n".join(lines) + "\n"


def _changes(blocking: list[Decision], previous: Previous | None) -> str:
    if previous is None:
        return "First run on this pull request."
    now = {finding_key(d) for d in blocking}
    new = sum(1 for d in blocking if finding_key(d) not in previous.blocking)
    fixed = len(previous.blocking - now)
    still = len(blocking) - new
    since = f"Since the last run ({previous.sha[:7]}):"
    if not blocking and not previous.blocking:
        return f"{since} nothing blocked then either."
    if not blocking:
        return f"{since} everything that blocked is fixed ({fixed} finding(s))."
    if not previous.complete:
        return (
            f"{since} {len(blocking) - new} of the {len(previous.blocking)} findings it remembered still "
            f"block, {fixed} of them are fixed; it had more than it could remember, so what is new is not "
            "marked."
        )
    return f"{since} {new} new, {still} still blocking, {fixed} fixed."


def _row(decision: Decision, previous: Previous | None) -> str:
    finding = decision.finding
    known = previous is None or not previous.complete or finding_key(decision) in previous.blocking
    new = "" if known else "🆕"
    where = cell(finding.scope.label)
    if finding.location is not None:
        where = f"`{format_location(finding.location).replace('`', '')}`"
    message = finding.message or finding.name
    if len(message) > MESSAGE_CHARS:
        message = message[: MESSAGE_CHARS - 1] + "…"
    return (
        f"| {new} | {cell(finding.status.value + ': ' + finding.name)} | {where} "
        f"| {cell(message)} | {cell(decision.reason)} |"
    )


def find_comment(client: GitHubClient, target: Target) -> tuple[int, str] | None:
    """(id, body) of the gate's comment: the first that starts with the marker, a bot's first."""
    path = f"/repos/{target.repository}/issues/{target.pr_number}/comments"
    ours = [c for c in client.pages(path, {"per_page": 100}) if str(c.get("body") or "").startswith(MARKER)]
    ours.sort(key=lambda c: (c.get("user") or {}).get("type") != "Bot")  # stable: oldest first
    return (int(ours[0]["id"]), str(ours[0]["body"])) if ours else None


def update_comment(
    client: GitHubClient,
    target: Target,
    mode: str,
    report: Report,
    links: Links,
) -> str:
    """Create or edit the comment as `mode` (`always` / `on-failure`) says; what was done, in words."""
    for _ in range(2):  # a second pass when a create may have happened before its answer was lost
        found = find_comment(client, target)
        if found is None and mode == "on-failure" and not report.verdict.blocked:
            return "no pull request comment: nothing blocks (pr-comment: on-failure)"
        previous = previous_state(found[1]) if found else None
        body = render_comment(report.decisions, report.verdict, target.head_sha, previous, links)
        if found is not None:
            if found[1] != body:
                path = f"/repos/{target.repository}/issues/comments/{found[0]}"
                client.request("PATCH", path, {"body": body})
            return f"pull request comment updated (#{target.pr_number})"
        try:
            path = f"/repos/{target.repository}/issues/{target.pr_number}/comments"
            client.request("POST", path, {"body": body}, replayable=False)
        except GitHubError as exc:
            if exc.applied_maybe:
                continue
            raise
        return f"pull request comment created (#{target.pr_number})"
    raise GitHubError("could not tell whether the pull request comment was created")
