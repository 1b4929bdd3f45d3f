"""What the live checks share: how a finding about a connection or one of its mappings is made."""

from __future__ import annotations

from checks.base import CheckInfo
from connect_gate.findings import Finding, Scope, ScopeKind, Status
from connect_gate.heroku.models import Connection


def on_connection(
    check: CheckInfo, connection: Connection, message: str, status: Status | None = None
) -> Finding:
    scope = Scope(ScopeKind.CONNECTION, connection.name)
    return Finding(check.source, check.id, check.title, scope, status or check.status, message)


def on_mapping(
    check: CheckInfo, connection: Connection, object_name: str, message: str, status: Status | None = None
) -> Finding:
    scope = Scope(ScopeKind.MAPPING, object_name, connection.name)
    return Finding(check.source, check.id, check.title, scope, status or check.status, message)
