"""Sources of findings, run in this order by a plain loop: `gather()`.

After the loop, Heroku's drift findings get what our own checks found on the same table (drift.py).

Adding a source: one module here with a class like those below (see base.FindingSource), one line
in `SOURCES`, and the input that turns it on in connect_gate/settings.py.
"""

from __future__ import annotations

from connect_gate.drift import attach_drift
from connect_gate.errors import InputError, LearnedError, ServiceError
from connect_gate.settings import Settings
from connect_gate.sources.base import FindingSource, Gathered, Need
from connect_gate.sources.database import Database
from connect_gate.sources.export_file import ExportFile
from connect_gate.sources.live import Live
from connect_gate.sources.migrations import Migrations
from connect_gate.sources.results_file import ResultsFile
from connect_gate.sources.sandbox import Sandbox
from connect_gate.workflow import SILENT, Progress

SOURCES: tuple[FindingSource, ...] = (
    ResultsFile(),  # saved diagnostics
    ExportFile(),  # provides the mapping configuration
    Live(),  # live diagnostics; provides each connection's configuration and database URL
    Migrations(),
    Database(),
    Sandbox(),
)


def gather(settings: Settings, progress: Progress = SILENT) -> Gathered:
    """Run every source the settings turn on; what each needs comes from those before it."""
    chosen = [source for source in SOURCES if source.wanted(settings)]
    needed = frozenset[Need]().union(*(source.needs(settings) for source in chosen))
    got = Gathered()
    for source in chosen:
        try:
            source.gather(settings, got, needed, progress)
        except LearnedError:
            raise
        except ServiceError as exc:
            # Diagnostics were received: `on-error: warn` must not make this a pass. (The database
            # and sandbox report their own failure as a finding instead: base.unreachable.)
            if got.findings:
                raise LearnedError(
                    f"{exc} (after diagnostics were received, whatever `on-error` says)"
                ) from None
            raise
    if not got.ran:
        raise InputError(
            "nothing to check: give `results-file` (saved Heroku Connect diagnostics), `app` or `pipeline` "
            "(live diagnostics), `mapping-config` (to analyse the migrations), `database-url` or "
            "`sandbox-url` (with `mapping-config`); see `connect-gate --help`"
        )
    only = got.only_config()
    got.findings = attach_drift(
        got.findings, lambda connection: got.export or got.configs.get(connection, only)
    )
    return got
