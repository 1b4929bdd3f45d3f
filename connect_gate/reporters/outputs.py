"""Step outputs for `GITHUB_OUTPUT`, in the `name<<DELIMITER` form that no value can break."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from connect_gate.decide import Outcome
from connect_gate.findings import Status
from connect_gate.verdict import Verdict

OUTCOME_OUTPUTS = {
    Outcome.BLOCK: "blocked",
    Outcome.WARN: "warned",
    Outcome.WAIVED: "waived",
    Outcome.PASS: "passed",
    Outcome.SKIPPED: "skipped",
}


def output_values(verdict: Verdict, paths: Mapping[str, str]) -> dict[str, str]:
    """Every output the action declares, by name; `paths` gives the report files written."""
    values = {"verdict": verdict.word}
    values.update({name: str(verdict.outcomes[outcome]) for outcome, name in OUTCOME_OUTPUTS.items()})
    values.update({f"status-{status.value.lower()}": str(verdict.statuses[status]) for status in Status})
    values.update(paths)
    return values


def render_outputs(values: Mapping[str, str]) -> str:
    lines = []
    for name, value in values.items():
        delimiter = f"ghadelimiter_{secrets.token_hex(8)}"
        lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(lines)
