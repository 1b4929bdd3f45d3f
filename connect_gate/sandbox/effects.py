"""What the recorded commands did to Connect's tables, judged whatever code sent them.

A DO block, a function or a trigger runs statements whose text the migration rules never see,
and a statement on the app's own table can reach a mapped table through the app's trigger. The
recorder logged every write to a mapped table and every DDL command with the table it changed,
under the statement the migration sent. Each such change is judged by the rule that judges the
same change written as SQL: a write by `write-to-read-write-mapping` or
`write-to-read-only-mapping`, a TRUNCATE by `truncate-mapped-table`, a trigger, rule or policy by
`custom-trigger-on-mapped-table`, a dropped table or column by `mapped-table-removed` or
`mapped-column-changed`, a table created in Connect's schema by `table-created-in-connect-schema`,
DDL on anything else of Connect's schema (its system tables, functions, sequences) and a write to
one of its system tables (`_trigger_log`, `_hcmeta`...; not Connect's own logger queuing a change,
which the recorder leaves out) by `connect-internals-touched`; any other change to a mapped
table's definition (ALTER TABLE, CREATE INDEX) by `mapped-table-altered`.

A change the statement's own text already explains (a finding of the rules naming the table) is
not reported twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from connect_gate.check import CheckInfo
from connect_gate.checks import own_checks
from connect_gate.database.seed_sql import quote_ident
from connect_gate.findings import Finding
from connect_gate.mapping_config import Access, MappingConfig
from connect_gate.migrations.connect import SYSTEM_TABLES
from connect_gate.sandbox.recorder import Execution

_TRIGGERS = frozenset({"trigger", "rule", "policy"})


def _check(check_id: str) -> CheckInfo:
    """The registered check that judges an effect (the same as the one judging the SQL form)."""
    return own_checks()[check_id]


@dataclass(frozen=True, slots=True)
class Effect:
    """One check's finding on one table, from the commands a statement ran."""

    check: CheckInfo
    table: str  # schema-qualified, as the rules' messages write it
    mapping: str  # the object name, or "" for Connect's system tables
    message: str


def effects(executions: Iterable[Execution], config: MappingConfig) -> list[Effect]:
    """The changes `executions` made to Connect's tables, one Effect per (check, table)."""
    found: dict[tuple[str, str], tuple[CheckInfo, str, list[str]]] = {}
    for execution, check, mapping in _judged(executions, config):
        table = ".".join(execution.relation)
        _check_info, _mapping, what = found.setdefault((check.id, table), (check, mapping, []))
        times = f" ({execution.count} times)" if execution.count > 1 else ""
        what.append(_describe(execution, table) + times)
    return [
        Effect(
            check,
            table,
            mapping,
            f"While this statement ran, the sandbox recorded {', '.join(dict.fromkeys(what))}"
            + (f" ({mapping})" if mapping else "")
            + ", whatever code did it (the statement, a DO block, a function or a trigger). "
            + check.summary,
        )
        for (_id, table), (check, mapping, what) in found.items()
    ]


def unexplained(found: Sequence[Effect], text_findings: Sequence[Finding]) -> list[Effect]:
    """The effects that no finding on the statement's text names the table of."""
    return [
        effect for effect in found if not any(effect.table in finding.message for finding in text_findings)
    ]


def _judged(
    executions: Iterable[Execution], config: MappingConfig
) -> Iterator[tuple[Execution, CheckInfo, str]]:
    for execution in executions:
        if execution.event == "write" or execution.relation[:1] == (config.schema,):
            mapping = config.by_table(execution.relation[1])
            if mapping is not None:
                yield execution, _judging(execution, mapping.access), mapping.object_name
            elif execution.tag == "CREATE TABLE":
                yield execution, _check("table-created-in-connect-schema"), ""
            elif execution.event != "write" or execution.relation[1] in SYSTEM_TABLES:
                yield execution, _check("connect-internals-touched"), ""
        elif not execution.relation and execution.identity.startswith(
            (f"{config.schema}.", f"{quote_ident(config.schema)}.")
        ):
            yield (
                execution,
                _check("connect-internals-touched"),
                "",
            )  # a function, type... of Connect's schema


def _judging(execution: Execution, access: Access) -> CheckInfo:
    if execution.tag == "TRUNCATE":
        return _check("truncate-mapped-table")
    if execution.event == "write":
        if access is Access.READ_WRITE:
            return _check("write-to-read-write-mapping")
        return _check("write-to-read-only-mapping")
    if execution.object_type in _TRIGGERS and execution.tag.startswith(("CREATE", "ALTER")):
        return _check("custom-trigger-on-mapped-table")
    if execution.event == "sql_drop" and execution.object_type == "table column":
        return _check("mapped-column-changed")
    if execution.event == "sql_drop" and execution.object_type == "table":
        return _check("mapped-table-removed")
    return _check("mapped-table-altered")


def _describe(execution: Execution, table: str) -> str:
    if execution.event == "write":
        return f"{execution.tag} on {table}"
    if execution.event == "sql_drop":
        return f"{execution.tag} dropping {execution.object_type} {execution.identity}"
    return f"{execution.tag} {execution.identity}"
