"""The database checks, by id: the explicit registry (one line per check module)."""

from __future__ import annotations

from connect_gate.check import Check
from connect_gate.checks.database import (
    app_owned_columns,
    connect_extensions,
    connect_schema,
    connect_triggers,
    constraint_on_mapped_table,
    custom_trigger_rule_policy,
    database_unreachable,
    failed_rows,
    failed_writes,
    foreign_key_into_mapped_table,
    mapped_columns,
    mapped_table,
    stuck_writes,
    system_columns,
    upsert_field_unique_index,
)

CHECKS: tuple[Check, ...] = tuple(
    Check.of(module)
    for module in (
        connect_schema,
        connect_extensions,
        mapped_table,
        mapped_columns,
        system_columns,
        app_owned_columns,
        connect_triggers,
        foreign_key_into_mapped_table,
        constraint_on_mapped_table,
        custom_trigger_rule_policy,
        upsert_field_unique_index,
        failed_writes,
        stuck_writes,
        failed_rows,
        database_unreachable,
    )
)
