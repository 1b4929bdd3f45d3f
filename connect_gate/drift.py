"""Say what drifted: Heroku's "Database Field Changes" gets the concrete differences our checks found.

Heroku's check says *that* a mapped table drifted; the database checks and the migration rules say
*which* column, constraint or migration. When both ran, the Heroku finding for a mapping carries,
under its message, each of our findings on the same table (the checks its catalogue entry lists as
`related`), with the check id and where it is: the migration's file and line, or the mapping.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence

from connect_gate.checks.diagnostics import KnownCheck, find_known
from connect_gate.findings import Finding, ScopeKind, Source, Status
from connect_gate.mapping_config import MappingConfig

HEADER = "What drifted on this table, per connect-gate's own checks:"
SHOWN = 10  # pointers per finding; the rest are counted
_QUIET = (Status.GREEN, Status.SKIPPED)

ConfigFor = Callable[[str], MappingConfig | None]


def attach_drift(findings: Sequence[Finding], config_for: ConfigFor) -> list[Finding]:
    """`findings`, with our evidence added to each Heroku drift finding that has some.

    `config_for(connection)` gives the mapping configuration of a connection (None if unknown): it
    names the table of a mapping, which migration findings mention as `schema.table`.
    """
    ours = [
        f for f in findings if f.source in (Source.DATABASE, Source.MIGRATIONS) and f.status not in _QUIET
    ]
    if not ours:
        return list(findings)
    return [_with_evidence(f, ours, config_for) for f in findings]


def _with_evidence(finding: Finding, ours: Sequence[Finding], config_for: ConfigFor) -> Finding:
    known = _drift_check(finding)
    if known is None:
        return finding
    table = _table_pattern(finding, config_for(finding.scope.connection))
    evidence = [f for f in ours if f.check_id in known.related and _same_table(f, finding, table)]
    if not evidence:
        return finding
    message = finding.message.split(f"\n{HEADER}", 1)[0]  # a results file read again has it already
    lines = [f"- {_pointer(f)}" for f in evidence[:SHOWN]]
    if len(evidence) > SHOWN:
        lines.append(f"- and {len(evidence) - SHOWN} more, in the sections of these checks")
    return dataclasses.replace(finding, message="\n".join([message, HEADER, *lines]).lstrip("\n"))


def _drift_check(finding: Finding) -> KnownCheck | None:
    if finding.source is not Source.DIAGNOSTICS or finding.scope.kind is not ScopeKind.MAPPING:
        return None
    if finding.status in _QUIET:
        return None
    known = find_known(finding.check_id) or find_known(finding.name)
    return known if known is not None and known.related else None


def _table_pattern(finding: Finding, config: MappingConfig | None) -> re.Pattern[str] | None:
    """`schema.table` of the finding's mapping as a migration message names it; None without a config."""
    if config is None:
        return None
    mapping = next(
        (m for m in config.mappings if m.object_name.casefold() == finding.scope.name.casefold()), None
    )
    if mapping is None:
        return None
    name = re.escape(f"{config.schema}.{mapping.table}")
    return re.compile(rf"(?<![\w.\"]){name}(?![\w])", re.IGNORECASE)


def _same_table(ours: Finding, heroku: Finding, table: re.Pattern[str] | None) -> bool:
    if ours.scope.kind is ScopeKind.MAPPING:  # database checks: the mapping's own section
        same_connection = not ours.scope.connection or ours.scope.connection == heroku.scope.connection
        return same_connection and ours.scope.name.casefold() == heroku.scope.name.casefold()
    return table is not None and table.search(ours.message) is not None


def _pointer(finding: Finding) -> str:
    """`check-id at file:line: first line of its message`: where to read the whole of it."""
    if finding.location is not None:
        column = f":{finding.location.column}" if finding.location.column is not None else ""
        where = f"{finding.location.file}:{finding.location.line}{column}"
    else:
        where = finding.scope.label
    summary = finding.message.splitlines()[0] if finding.message else finding.name
    return f"{finding.check_id} at {where}: {summary}"
