"""The names Connect gives its objects in Postgres, as a `pg_dump` of a Connect database shows them.

See https://devcenter.heroku.com/articles/managing-heroku-connect-mappings (mapped tables and their
system columns) and https://devcenter.heroku.com/articles/heroku-connect-trigger-log (the trigger log).

The seed creates these names and the checks expect them: both read them from here.
"""

from __future__ import annotations

from connect_gate.mapping_config import Mapping, field_column

NAMEDATALEN = 63  # PostgreSQL truncates longer identifiers, so Connect's names are truncated too

SYSTEM_TABLES = ("_hcmeta", "_sf_event_log", "_trigger_log", "_trigger_log_archive")
SCHEMA_FUNCTIONS = ("tlog_notify_trigger", "hc_capture_insert_from_row", "hc_capture_update_from_row")
TLOG_TRIGGER = "tlog_insert_trigger"
# On every mapped table, whatever the mapping's fields. `id` is Connect's serial, not Salesforce's Id.
SYSTEM_COLUMNS = ("id", "sfid", "systemmodstamp", "_hc_lastop", "_hc_err")
OPTIONAL_SYSTEM_COLUMNS = ("isdeleted",)  # on most objects, mapped or not (not on User, RecordType)
# Where `connect-gate seed --record` keeps its recorder (a sandbox's, never Connect's nor the app's).
RECORDER_SCHEMA = "connect_gate_recorder"


def identifier(name: str) -> str:
    """`name` as PostgreSQL stores it: at most 63 bytes."""
    return name.encode()[:NAMEDATALEN].decode(errors="ignore")


def field_columns(mapping: Mapping) -> dict[str, str]:
    """Column → field name, for the mapping's own fields (system columns excluded)."""
    columns = {field_column(field): field for field in mapping.fields}
    return {column: field for column, field in columns.items() if column not in SYSTEM_COLUMNS}


def expected_columns(mapping: Mapping) -> frozenset[str]:
    """The columns Connect may keep for the mapping (system columns and the mapped fields')."""
    return frozenset(SYSTEM_COLUMNS + OPTIONAL_SYSTEM_COLUMNS) | frozenset(field_columns(mapping))


def logger_function(table: str) -> str:
    return identifier(f"hc_{table}_logger")


def status_function(table: str) -> str:
    return identifier(f"hc_{table}_status")


def log_trigger(table: str) -> str:
    return identifier(f"hc_{table}_logtrigger")


def status_trigger(table: str) -> str:
    return identifier(f"hc_{table}_status_trigger")


def connect_triggers(table: str) -> tuple[str, str]:
    return log_trigger(table), status_trigger(table)


def index_name(table: str, column: str, unique: bool) -> str:
    return identifier(f"{'hcu' if unique else 'hc'}_idx_{table}_{column}")
