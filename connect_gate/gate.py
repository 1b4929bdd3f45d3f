"""One run of the gate: settings → findings → decisions → report texts.

Nothing here writes a file or exits; `connect_gate.cli` does that with what `run()` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from connect_gate.decide import Decision, decide
from connect_gate.errors import InputError
from connect_gate.findings import Finding, ScopeKind, Source
from connect_gate.mapping_config import MappingConfig
from connect_gate.policy.model import DEFAULT_POLICY, Policy
from connect_gate.reporters.annotations import render_annotations
from connect_gate.reporters.console import render_console
from connect_gate.reporters.junit import render_junit
from connect_gate.reporters.outputs import output_values
from connect_gate.reporters.results_json import render_results_json
from connect_gate.reporters.summary import render_summary
from connect_gate.settings import DEFAULT_POLICY_PATH, Settings
from connect_gate.verdict import Verdict, verdict_of

JUNIT_FILE = "junit.xml"
RESULTS_FILE = "results.json"
SUMMARY_FILE = "summary.md"


@dataclass(frozen=True, slots=True)
class Run:
    policy: Policy
    decisions: list[Decision]
    verdict: Verdict
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


def collect(settings: Settings) -> tuple[list[Finding], set[Source]]:
    """Findings of every source the settings turn on, and which sources ran."""
    findings: list[Finding] = []
    ran: set[Source] = set()
    if settings.results_file:
        from connect_gate.sources.results_file import read_results_file

        findings += read_results_file(settings.results_file, settings.connection_name)
        ran.add(Source.DIAGNOSTICS)
    if settings.database_url:
        findings += _database_findings(settings, _connection_of(findings))
        ran.add(Source.DATABASE)
    if not ran:
        raise InputError(
            "nothing to check: give `results-file` (saved Heroku Connect diagnostics) or `database-url` "
            "(with `mapping-config`); see `connect-gate --help`"
        )
    return findings, ran


def _connection_of(findings: list[Finding]) -> str | None:
    """The one connection the diagnostics are about, so database findings join its sections."""
    names = {f.scope.name for f in findings if f.scope.kind is ScopeKind.CONNECTION}
    return names.pop() if len(names) == 1 else None


def _mapping_config(settings: Settings, needed_by: str) -> MappingConfig:
    if not settings.mapping_config:
        raise InputError(
            f"`{needed_by}` needs `mapping-config`: the JSON file `heroku connect:export` writes, "
            "which says what Heroku Connect syncs"
        )
    from connect_gate.mapping_config import load_export

    return load_export(settings.mapping_config, settings.schema or None)


def _database_findings(settings: Settings, connection: str | None) -> list[Finding]:
    from connect_gate.database.run import run_database_checks

    return run_database_checks(
        settings.database_url.reveal(),
        _mapping_config(settings, "database-url"),
        failed_hours=settings.failed_hours,
        stuck_minutes=settings.stuck_minutes,
        require_tls=settings.database_tls,
        connection=connection,
    )


def run(settings: Settings) -> Run:
    policy = load_policy_for(settings)
    findings, ran = collect(settings)
    decisions = decide(findings, policy, settings.today, ran)
    verdict = verdict_of(decisions)
    report_dir = Path(settings.report_dir)
    junit_path = str(report_dir / JUNIT_FILE)
    results_path = str(report_dir / RESULTS_FILE)
    summary = render_summary(decisions, policy, settings.today, junit_path)
    files = {
        junit_path: render_junit(decisions),
        results_path: render_results_json(decisions, policy, settings.today),
        str(report_dir / SUMMARY_FILE): summary,
    }
    annotations = ""
    if settings.annotations:
        annotations = render_annotations(decisions, junit_path, settings.runner.workspace)
    return Run(
        policy=policy,
        decisions=decisions,
        verdict=verdict,
        console=render_console(decisions, settings.verbose),
        annotations=annotations,
        summary=summary,
        files=files,
        outputs=output_values(verdict, {"junit-path": junit_path, "results-path": results_path}),
    )
