"""`mapping-config`: the committed `heroku connect:export` file, read once for every source that needs it."""

from __future__ import annotations

from connect_gate.settings import Settings
from connect_gate.sources.base import Gathered, Need
from connect_gate.workflow import Progress


class ExportFile:
    provides = frozenset({Need.MAPPING_CONFIG})

    def wanted(self, settings: Settings) -> bool:
        return bool(settings.mapping_config)

    def needs(self, settings: Settings) -> frozenset[Need]:
        return frozenset()

    def gather(self, settings: Settings, got: Gathered, needed: frozenset[Need], progress: Progress) -> None:
        from connect_gate.mapping_config import load_export

        got.export = load_export(settings.mapping_config, settings.schema or None)
