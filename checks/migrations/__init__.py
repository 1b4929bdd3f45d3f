"""The migration rules: Heroku Connect-aware checks of the SQL a pull request adds.

Most read parsed statements (`Reads.STATEMENT`); the engine itself reports statements that do not
parse and inline waivers that are malformed or waived nothing (`Reads.MIGRATION_FILE`).
"""

from __future__ import annotations

from connect_gate.check import Check
from connect_gate.checks.migrations import (
    concurrent_index_in_transaction,
    connect_internals_touched,
    connect_schema_removed,
    connect_trigger_disabled,
    constraint_added_to_mapped_table,
    custom_trigger_on_mapped_table,
    foreign_key_added_to_mapped_table,
    index_lost_on_reimport,
    index_without_concurrently,
    lock_heavy_statement_on_mapped_table,
    malformed_sql_waiver,
    mapped_column_changed,
    mapped_table_removed,
    nullable_column_added,
    object_created_in_connect_schema,
    table_created_in_connect_schema,
    truncate_cascade_to_mapped_table,
    truncate_mapped_table,
    unanalysable_code,
    unanalysable_psql_command,
    unparsable_statement,
    unreadable_migration,
    unused_sql_waiver,
    view_over_mapped_table,
    write_to_read_only_mapping,
    write_to_read_write_mapping,
)

CHECKS: tuple[Check, ...] = tuple(
    Check.of(module)
    for module in (
        mapped_table_removed,
        connect_schema_removed,
        mapped_column_changed,
        constraint_added_to_mapped_table,
        foreign_key_added_to_mapped_table,
        table_created_in_connect_schema,
        object_created_in_connect_schema,
        view_over_mapped_table,
        custom_trigger_on_mapped_table,
        connect_trigger_disabled,
        truncate_mapped_table,
        truncate_cascade_to_mapped_table,
        write_to_read_write_mapping,
        write_to_read_only_mapping,
        connect_internals_touched,
        nullable_column_added,
        index_without_concurrently,
        concurrent_index_in_transaction,
        index_lost_on_reimport,
        lock_heavy_statement_on_mapped_table,
        unanalysable_code,
        unparsable_statement,
        unreadable_migration,
        unanalysable_psql_command,
        unused_sql_waiver,
        malformed_sql_waiver,
    )
)
