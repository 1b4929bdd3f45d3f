"""What one run decided, as the check run and the pull request comment show it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from connect_gate.decide import Decision
from connect_gate.verdict import Verdict


@dataclass(frozen=True, slots=True)
class Report:
    decisions: Sequence[Decision]
    verdict: Verdict
    summary: str  # the job summary's Markdown
