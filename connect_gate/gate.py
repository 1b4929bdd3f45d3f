"""One run of the gate: settings → findings → decisions → report texts.

Nothing here writes a file or exits; `connect_gate.cli` does that with what `run()` returns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from checks import own_checks
from connect_gate.decide import Decision, Outcome, decide
from connect_gate.errors import InputError
from connect_gate.findings import Finding, ScopeKind, Source
from connect_gate.heroku.progress import SILENT, Progress
from connect_gate.mapping_config import MappingConfig
from connect_gate.policy.model import DEFAULT_POLICY, Policy
from connect_gate.reporters.annotations import render_annotations
from connect_gate.reporters.console import render_console
from connect_gate.reporters.junit import render_junit
from connect_gate.reporters.outputs import output_values
from connect_gate.reporters.results_json import render_results_json
from connect_gate.reporters.sarif import render_sarif
from connect_gate.reporters.summary import render_summary
from connect_gate.settings import DATABASE_FROM_APP, DEFAULT_POLICY_PATH, Settings
from connect_gate.verdict import Verdict, verdict_of

if TYPE_CHECKING:
    from connect_gate.migrations.analyse import WaivedFinding
    from connect_gate.sources.live import LiveSource

JUNIT_FILE = "junit.xml"
RESULTS_FILE = "results.json"
SUMMARY_FILE = "summary.md"
SARIF_FILE = "results.sarif"


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


@dataclass
class Collected:
    findings: list[Finding] = field(default_factory=list)
    ran: set[Source] = field(default_factory=set)
    waived_in_source: list[Decision] = field(default_factory=list)  # inline SQL waivers
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_policy_for(settings: Settings) -> Policy:
    path = settings.policy or (DEFAULT_POLICY_PATH if Path(DEFAULT_POLICY_PATH).is_file() else "")
    if not path:
        return DEFAULT_POLICY
    from connect_gate.policy.load import load_policy

    return load_policy(path)


def collect(settings: Settings, progress: Progress | None = None) -> Collected:
    """Findings of every source the settings turn on, and which sources ran."""
    got = Collected()
    if settings.results_file:
        from connect_gate.sources.results_file import read_results_file

        got.findings += read_results_file(settings.results_file, settings.connection_name)
        got.ran.add(Source.DIAGNOSTICS)
    live_run = bool(settings.app or settings.pipeline)
    migrations = (bool(settings.mapping_config) or live_run) and settings.migrations.strip().lower() != "none"
    from_app = settings.database_url.reveal() == DATABASE_FROM_APP
    live: LiveSource | None = None
    if live_run:
        from connect_gate.sources.live import read_live

        needs_config = not settings.mapping_config and (bool(settings.database_url) or migrations)
        live = read_live(settings, progress or SILENT, with_export=needs_config, with_database_url=from_app)
        got.findings += live.findings
        got.ran |= {Source.DIAGNOSTICS, Source.LIVE}
    elif from_app:
        raise InputError(
            f"`database-url: {DATABASE_FROM_APP}` needs live diagnostics: set `app` or `pipeline`"
        )
    if migrations:
        live_config = _only(live.configs) if live else None
        if settings.mapping_config or live_config:
            _migrations(settings, got, live_config)
        else:
            got.notes.append("migrations: not analysed: several connections; give `mapping-config` to choose")
    if from_app and live is not None:
        for connection, url in live.database_urls.items():
            config = _mapping_config(settings, "database-url", live.configs.get(connection))
            got.findings += _database_findings(settings, url, config, connection)
        got.ran.add(Source.DATABASE)
    elif settings.database_url:
        config = _mapping_config(settings, "database-url", _only(live.configs) if live else None)
        url = settings.database_url.reveal()
        got.findings += _database_findings(settings, url, config, _connection_of(got.findings))
        got.ran.add(Source.DATABASE)
    if settings.sandbox_url:
        _sandbox(settings, got)
    if not got.ran:
        raise InputError(
            "nothing to check: give `results-file` (saved Heroku Connect diagnostics), `app` or `pipeline` "
            "(live diagnostics), `mapping-config` (to analyse the migrations), `database-url` or "
            "`sandbox-url` (with `mapping-config`); see `connect-gate --help`"
        )
    return got


def _only(configs: dict[str, MappingConfig]) -> MappingConfig | None:
    return next(iter(configs.values())) if len(configs) == 1 else None


def _connection_of(findings: list[Finding]) -> str | None:
    """The one connection the diagnostics are about, so database findings join its sections."""
    names = {f.scope.name for f in findings if f.scope.kind is ScopeKind.CONNECTION}
    return names.pop() if len(names) == 1 else None


def _mapping_config(settings: Settings, needed_by: str, live: MappingConfig | None = None) -> MappingConfig:
    """The export file when given, else the live connection's own mapping configuration."""
    if settings.mapping_config:
        from connect_gate.mapping_config import load_export

        return load_export(settings.mapping_config, settings.schema or None)
    if live is not None:
        return live
    raise InputError(
        f"`{needed_by}` needs `mapping-config`: the JSON file `heroku connect:export` writes, "
        "which says what Heroku Connect syncs (with live diagnostics of one connection, the "
        "connection's own configuration is used)"
    )


def _migrations(settings: Settings, got: Collected, live_config: MappingConfig | None) -> None:
    from connect_gate.event import pull_request
    from connect_gate.migrations.analyse import analyse_files
    from connect_gate.migrations.discover import discover, patterns_from_input

    root = Path(settings.runner.workspace or ".")
    pr = pull_request(settings.runner.event_path)
    changed_only = _changed_only(settings)
    found = discover(patterns_from_input(settings.migrations), root, changed_only, pr.base_sha)
    if found.notice:
        got.warnings.append(found.notice)
    config = _mapping_config(settings, "migrations", live_config)
    analysis = analyse_files(found.files, config, root, _search_path(settings))
    which = "changed by the pull request" if changed_only and not found.notice else "matching `migrations`"
    got.notes.append(
        f"migrations: {analysis.files} file(s) {which}, {analysis.statements} statement(s) analysed"
    )
    got.findings += analysis.findings
    got.waived_in_source += _waived_in_sql(analysis.waived)
    got.ran.add(Source.MIGRATIONS)


def _search_path(settings: Settings) -> tuple[str, ...]:
    return tuple(part.strip() for part in settings.search_path.split(",") if part.strip()) or ("public",)


def _waived_in_sql(waived: Iterable[WaivedFinding]) -> list[Decision]:
    """Findings an inline `-- connect-gate: ignore` comment covers: decided before the policy."""
    return [Decision(w.finding, Outcome.WAIVED, f"waived in the SQL: {w.reason}") for w in waived]


def _changed_only(settings: Settings) -> bool:
    return settings.changed_only == "true" or (
        settings.changed_only == "auto" and settings.runner.event_name.startswith("pull_request")
    )


def _database_findings(
    settings: Settings, url: str, config: MappingConfig, connection: str | None
) -> list[Finding]:
    from connect_gate.database.run import run_database_checks

    return run_database_checks(
        url,
        config,
        failed_hours=settings.failed_hours,
        stuck_minutes=settings.stuck_minutes,
        require_tls=settings.database_tls,
        connection=connection,
    )


def _sandbox(settings: Settings, got: Collected) -> None:
    from connect_gate.database.state import CheckOptions
    from connect_gate.event import pull_request
    from connect_gate.migrations.discover import changed_files, patterns_from_input
    from connect_gate.sandbox.judge import check_sandbox

    root = Path(settings.runner.workspace or ".")
    changed: set[str] | None = None
    if _changed_only(settings):
        changed, notice = changed_files(root, pull_request(settings.runner.event_path).base_sha)
        if notice and notice not in got.warnings:
            got.warnings.append(notice)
    judged = check_sandbox(
        settings.sandbox_url.reveal(),
        _mapping_config(settings, "sandbox-url"),
        root,
        patterns_from_input(settings.migrations),
        options=CheckOptions(settings.failed_hours, settings.stuck_minutes),
        search_path=_search_path(settings),
        changed=changed,
    )
    got.notes.append(judged.note)
    # A SQL file the static analysis read and the sandbox ran gives the same finding twice: keep one.
    static = {(f.check_id, f.location) for f in got.findings if f.source is Source.MIGRATIONS and f.location}
    got.findings += [f for f in judged.findings if (f.check_id, f.location) not in static]
    got.waived_in_source += _waived_in_sql(judged.waived)
    got.ran |= {Source.MIGRATIONS, Source.DATABASE}


def run(settings: Settings, progress: Progress | None = None) -> Run:
    policy = load_policy_for(settings)
    got = collect(settings, progress)
    decisions = decide(got.findings, policy, settings.today, got.ran) + got.waived_in_source
    verdict = verdict_of(decisions)
    report_dir = Path(settings.report_dir)
    junit_path = str(report_dir / JUNIT_FILE)
    results_path = str(report_dir / RESULTS_FILE)
    sarif_path = str(report_dir / SARIF_FILE)
    summary = render_summary(decisions, policy, settings.today, junit_path)
    files = {
        junit_path: render_junit(decisions),
        results_path: render_results_json(decisions, policy, settings.today),
        sarif_path: json.dumps(render_sarif(decisions, own_checks(), settings.runner.workspace), indent=2)
        + "\n",
        str(report_dir / SUMMARY_FILE): summary,
    }
    annotations = ""
    if settings.annotations:
        annotations = render_annotations(decisions, junit_path, settings.runner.workspace)
    return Run(
        policy=policy,
        decisions=decisions,
        verdict=verdict,
        notes=got.notes,
        warnings=got.warnings,
        console=render_console(decisions, settings.verbose),
        annotations=annotations,
        summary=summary,
        files=files,
        outputs=output_values(
            verdict, {"junit-path": junit_path, "results-path": results_path, "sarif-path": sarif_path}
        ),
    )
