"""The line every reporter prints under a finding: which check it is, and how to read about it.

Users need the id to waive a finding (in the policy, or inline: `-- connect-gate: ignore ID`) and
to look it up (`connect-gate explain ID`); the doc URL is printed by each reporter in its own form.
"""

from __future__ import annotations

import shlex

from connect_gate.findings import Finding


def explain_command(finding: Finding) -> str:
    """`connect-gate explain ID`, quoted for a shell when the id has spaces (Heroku display names)."""
    return f"connect-gate explain {shlex.quote(finding.check_id)}"


def check_line(finding: Finding) -> str:
    """`Check: ID (run `connect-gate explain ID`)`."""
    return f"Check: {finding.check_id} (run `{explain_command(finding)}`)"
