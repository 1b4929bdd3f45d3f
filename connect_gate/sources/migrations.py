"""`migrations`: the pull request's SQL migration files, through the migration rules."""

from __future__ import annotations

from pathlib import Path

from connect_gate.findings import Source
from connect_gate.migrations.discover import Discovery
from connect_gate.settings import Settings
from connect_gate.sources.base import Gathered, Need, changed_only
from connect_gate.workflow import Progress


class Migrations:
    provides: frozenset[Need] = frozenset()

    def wanted(self, settings: Settings) -> bool:
        known = bool(settings.mapping_config or settings.app or settings.pipeline)
        return known and settings.migrations is not None

    def needs(self, settings: Settings) -> frozenset[Need]:
        # Nothing to analyse, nothing to ask Heroku for (the export is fetched only to be used).
        return frozenset({Need.MAPPING_CONFIG}) if _discover(settings).files else frozenset()

    def gather(self, settings: Settings, got: Gathered, needed: frozenset[Need], progress: Progress) -> None:
        from connect_gate.migrations.analyse import analyse_files

        found = _discover(settings)
        if got.export is None and got.only_config() is None:
            if not found.files:
                got.notes.append("migrations: no file matching `migrations`")
                got.ran.add(Source.MIGRATIONS)
                return
            if got.skipped("migrations", Need.MAPPING_CONFIG):
                return
            why = "several connections" if got.configs else "no connection was diagnosed"
            got.notes.append(f"migrations: not analysed ({why}); give `mapping-config` to analyse them")
            return
        root = Path(settings.runner.workspace or ".")
        changed = changed_only(settings)
        if found.notice:
            got.warnings.append(found.notice)
        got.warnings += [
            f"migrations: no file in the repository matches `{glob}`" for glob in found.unmatched
        ]
        config = got.mapping_config("migrations")
        analysis = analyse_files(found.files, config, root, settings.search_path)
        which = "changed by the pull request" if changed and not found.notice else "matching `migrations`"
        got.notes.append(
            f"migrations: {analysis.files} file(s) {which}, {analysis.statements} statement(s) analysed"
        )
        got.findings += analysis.findings
        got.waived_inline += analysis.waived
        got.ran.add(Source.MIGRATIONS)


def _discover(settings: Settings) -> Discovery:
    from connect_gate.event import pull_request
    from connect_gate.migrations.discover import discover

    root = Path(settings.runner.workspace or ".")
    pr = pull_request(settings.runner.event_path)
    return discover(settings.migrations or (), root, changed_only(settings), pr.base_sha)
