"""One run of the gate: settings → findings (connect_gate.sources) → decisions → report texts.

Nothing here writes a file or exits; `connect_gate.cli` does that with what `run()` returns.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from connect_gate import forked
from connect_gate.checks import own_checks
from connect_gate.decide import Decision, decide
from connect_gate.gc_pause import collector_paused
from connect_gate.policy.model import DEFAULT_POLICY, Policy
from connect_gate.reporters.annotations import render_annotations
from connect_gate.reporters.console import render_console
from connect_gate.reporters.junit import render_junit
from connect_gate.reporters.outputs import output_values
from connect_gate.reporters.results_json import render_results_json
from connect_gate.reporters.sarif import render_sarif, sarif_text
from connect_gate.reporters.summary import summarize
from connect_gate.runner_paths import report_dir
from connect_gate.settings import DEFAULT_POLICY_PATH, Settings
from connect_gate.sources import gather
from connect_gate.verdict import Verdict, verdict_of
from connect_gate.workflow import SILENT, Progress

JUNIT_FILE = "junit.xml"
RESULTS_FILE = "results.json"
SUMMARY_FILE = "summary.md"
SARIF_FILE = "results.sarif"
_SHARED_ABOVE = 500  # decisions: below, a second process for JUnit costs more than it saves


@dataclass(frozen=True, slots=True)
class Run:
    policy: Policy
    decisions: list[Decision]
    verdict: Verdict
    notes: list[str]  # what the gate did, for the log (e.g. which migration files it read)
    warnings: list[str]  # what the user should fix in the set-up, shown as ::warning
    console: str
    annotations: str
    summary: str
    files: dict[str, str]  # path → content, written by the entry point
    outputs: dict[str, str]


def load_policy_for(settings: Settings) -> Policy:
    path = settings.policy or (DEFAULT_POLICY_PATH if Path(DEFAULT_POLICY_PATH).is_file() else "")
    if not path:
        return DEFAULT_POLICY
    from connect_gate.policy.load import load_policy

    return load_policy(path)


def run(settings: Settings, progress: Progress | None = None) -> Run:
    reports = report_dir(settings.report_dir, settings.runner, os.getcwd())
    policy = load_policy_for(settings)
    got = gather(settings, progress or SILENT)
    write, shown = Path(reports.write), Path(reports.shown)
    junit_path, results_path, sarif_path = (
        str(shown / name) for name in (JUNIT_FILE, RESULTS_FILE, SARIF_FILE)
    )
    with collector_paused():  # tens of thousands of small objects without a cycle
        decisions = decide(got.findings, policy, settings.today, got.ran, got.waived_inline)
    render = functools.partial(render_junit, decisions)
    # JUnit, the slowest report, is rendered meanwhile by a second process when it is big
    junit = forked.start(render) if len(decisions) >= _SHARED_ABOVE else forked.Pending(render)
    with junit, collector_paused():
        summary = summarize(decisions, policy, settings.today, junit_path)
        files = {
            str(write / RESULTS_FILE): render_results_json(decisions, policy, settings.today),
            str(write / SARIF_FILE): sarif_text(
                render_sarif(decisions, own_checks(), settings.runner.workspace)
            ),
            str(write / SUMMARY_FILE): summary.text,
        }
        annotations = ""
        if settings.annotations:
            annotations = render_annotations(
                decisions,
                junit_path,
                settings.runner.workspace,
                in_summary=settings.job_summary and summary.left_out == 0,
                setup_warnings=len(got.warnings),  # printed first: the runner keeps only 10 warnings
            )
        console = render_console(decisions, settings.verbose)
        files = {str(write / JUNIT_FILE): junit.result(), **files}
    verdict = verdict_of(decisions)
    return Run(
        policy=policy,
        decisions=decisions,
        verdict=verdict,
        notes=got.notes,
        warnings=got.warnings,
        console=console,
        annotations=annotations,
        summary=summary.text,
        files=files,
        outputs=output_values(
            verdict, {"junit-path": junit_path, "results-path": results_path, "sarif-path": sarif_path}
        ),
    )
