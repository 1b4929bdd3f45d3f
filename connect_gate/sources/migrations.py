"""`migrations`: the pull request's SQL migration files, through the migration rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from connect_gate.findings import Source
from connect_gate.settings import Settings
from connect_gate.sources.base import Gathered, Need, changed_only
from connect_gate.workflow import Progress

if TYPE_CHECKING:
    from connect_gate.migrations.discover import Discovery


class Migrations:
    provides: frozenset[Need] = frozenset()

    def __init__(self) -> None:
        # needs() and gather() of one run ask for the same files: walk the workspace and diff the
        # pull request once per Settings object, not twice
        self._found: tuple[Settings, Discovery] | None = None

    def _discover(self, settings: Settings) -> Discovery:
        if self._found is None or self._found[0] is not settings:
            self._found = (settings, _discover(settings))
        return self._found[1]

    def wanted(self, settings: Settings) -> bool:
        known = bool(settings.mapping_config or settings.app or settings.pipeline)
        return known and settings.migrations is not None

    def needs(self, settings: Settings) -> frozenset[Need]:
        # Nothing to analyse, nothing to ask Heroku for: the export is fetched only to be used.
        return frozenset({Need.MAPPING_CONFIG}) if self._discover(settings).files else frozenset()

    def gather(self, settings: Settings, got: Gathered, needed: frozenset[Need], progress: Progress) -> None:
        found = self._discover(settings)
        changed = changed_only(settings)
        which = "changed by the pull request" if changed and not found.notice else "matching `migrations`"
        if got.export is None and got.only_config() is None:
            if not found.files:
                got.notes.append(f"migrations: 0 file(s) {which}, 0 statement(s) analysed")
                got.ran.add(Source.MIGRATIONS)
                return
            if got.skipped("migrations", Need.MAPPING_CONFIG):
                return
            why = "several connections" if got.configs else "no connection was diagnosed"
            got.notes.append(f"migrations: not analysed ({why}); give `mapping-config` to analyse them")
            return
        if found.notice:
            got.warnings.append(found.notice)
        got.warnings += [
            f"migrations: no file in the repository matches `{glob}`" for glob in found.unmatched
        ]
        config = got.mapping_config("migrations")
        got.ran.add(Source.MIGRATIONS)
        if not found.files:  # the SQL parser and the rules cost ~100 ms of imports: none for no file
            got.notes.append(f"migrations: 0 file(s) {which}, 0 statement(s) analysed")
            return
        from connect_gate.migrations.analyse import analyse_files

        root = Path(settings.runner.workspace or ".")
        analysis = analyse_files(found.files, config, root, settings.search_path)
        analysed = f"{analysis.files} file(s) {which}, {analysis.statements} statement(s) analysed"
        shared = f", in {analysis.processes} processes" if analysis.processes > 1 else ""
        got.notes.append(f"migrations: {analysed}{shared}")
        got.findings += analysis.findings
        got.waived_inline += analysis.waived


def _discover(settings: Settings) -> Discovery:
    from connect_gate.event import pull_request
    from connect_gate.migrations.discover import discover

    root = Path(settings.runner.workspace or ".")
    pr = pull_request(settings.runner.event_path)
    return discover(settings.migrations or (), root, changed_only(settings), pr.base_sha)
