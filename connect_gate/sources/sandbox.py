"""`sandbox-url`: a throwaway database the app's own migrations ran against, with the recorder."""

from __future__ import annotations

from pathlib import Path

from connect_gate.errors import ServiceError
from connect_gate.findings import Source
from connect_gate.settings import Settings
from connect_gate.sources.base import Gathered, Need, changed_only, database_limits, unreachable
from connect_gate.workflow import Progress


class Sandbox:
    provides: frozenset[Need] = frozenset()

    def wanted(self, settings: Settings) -> bool:
        return bool(settings.sandbox_url)

    def needs(self, settings: Settings) -> frozenset[Need]:
        return frozenset({Need.MAPPING_CONFIG})

    def gather(self, settings: Settings, got: Gathered, needed: frozenset[Need], progress: Progress) -> None:
        if got.skipped("sandbox", Need.MAPPING_CONFIG):
            return
        from connect_gate.database.state import CheckOptions
        from connect_gate.event import pull_request
        from connect_gate.migrations.discover import changed_files
        from connect_gate.sandbox.judge import check_sandbox

        root = Path(settings.runner.workspace or ".")
        changed: set[str] | None = None
        if changed_only(settings):
            changed, notice = changed_files(root, pull_request(settings.runner.event_path).base_sha)
            if notice and notice not in got.warnings:
                got.warnings.append(notice)
        config = got.mapping_config("sandbox-url")
        try:
            judged = check_sandbox(
                settings.sandbox_url.reveal(),
                config,
                root,
                settings.migrations or (),  # `none`: only the ORMs' source files are searched
                options=CheckOptions(settings.failed_hours, settings.stuck_minutes),
                search_path=settings.search_path,
                changed=changed,
                limits=database_limits(settings),
            )
        except ServiceError as exc:
            got.findings.append(unreachable(got, "the sandbox (`sandbox-url`)", exc))
            got.ran |= {Source.MIGRATIONS, Source.DATABASE}
            return
        got.notes.append(judged.note)
        # A SQL file the static analysis read and the sandbox ran gives the same finding twice: keep one.
        static = {
            (f.check_id, f.location) for f in got.findings if f.source is Source.MIGRATIONS and f.location
        }
        got.findings += [f for f in judged.findings if (f.check_id, f.location) not in static]
        got.waived_inline += judged.waived
        got.ran |= {Source.MIGRATIONS, Source.DATABASE}
