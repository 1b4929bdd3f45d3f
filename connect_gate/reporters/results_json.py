"""The JSON results file: every finding with its decision, for later steps and reruns.

`connect-gate --results-file <this file>` decides its findings again under the current policy
(the gate's own policy findings are recomputed, not read back).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from connect_gate import __version__
from connect_gate.decide import Decision
from connect_gate.policy.model import Policy
from connect_gate.serialize import RESULTS_FORMAT, finding_to_dict
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
    # compact: json's C encoder is only used without `indent`, 10x faster on big reports; a
    # document of fresh dicts has no cycle to look for
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), check_circular=False) + "\n"


def _finding(decision: Decision) -> dict[str, Any]:
    data = finding_to_dict(decision.finding)  # the decision's keys after the finding's, as rereading expects
    data["decision"] = decision.outcome.value
    data["reason"] = decision.reason
    return data
