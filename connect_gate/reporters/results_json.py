"""The JSON results file: every finding with its decision, for later steps and reruns.

`connect-gate --results-file <this file>` decides its findings again under the current policy
(the gate's own policy findings are recomputed, not read back).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from connect_gate import __version__
from connect_gate.decide import Decision
from connect_gate.policy.model import Policy
from connect_gate.serialize import RESULTS_FORMAT, compact_json, finding_to_dict
from connect_gate.verdict import verdict_of


def render_results_json(decisions: Sequence[Decision], policy: Policy, today: datetime.date) -> str:
    verdict = verdict_of(decisions)
    document = {
        "format": RESULTS_FORMAT,
        "version": 1,
        "generator": f"connect-gate {__version__}",
        "date": today.isoformat(),
        "policy": policy.origin,
        "verdict": verdict.word,
        "counts": {
            "decisions": {outcome.value: count for outcome, count in verdict.outcomes.items()},
            "statuses": {status.value: count for status, count in verdict.statuses.items()},
        },
        "findings": [_finding(decision) for decision in decisions],
    }
    return compact_json(document) + "\n"  # no indent: 10x faster on big reports


def _finding(decision: Decision) -> dict[str, Any]:
    data = finding_to_dict(decision.finding)  # then the decision, as the file has always had them
    data["decision"] = decision.outcome.value
    data["reason"] = decision.reason
    return data
