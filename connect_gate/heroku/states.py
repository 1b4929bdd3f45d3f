"""Connection and mapping states, as Heroku Connect names them (reference section 1, States)."""

CONNECTION_HEALTHY = frozenset({"IDLE", "POLLING_DB_CHANGES", "IMPORT_CONFIGURATION", "BUSY"})
CONNECTION_NOT_SET_UP = frozenset({"NEW", "NEED_AUTHENTICATION"})
CONNECTION_PAUSED = frozenset({"PAUSED", "RECOVERY"})
CONNECTION_BROKEN = frozenset(
    {"SYSTEM_ERROR", "DB_UNAVAILABLE", "TOO_MANY_ROWS", "UNAUTHORIZED", "HEROKU_UNAUTH", "INACTIVE_ORG"}
)

MAPPING_AT_REST = frozenset({"DATA_SYNCED", "INITIAL"})
MAPPING_SYNCING = frozenset(
    {
        "RESYNC",
        "RELOAD_TABLE",
        "POLLING_SF_CHANGES",
        "POLLING_SF_BULK",
        "POLLING_SF_FOR_DELETES",
        "WAIT_BULK_LOAD",
        "LOADING_BULK_JOB",
        "RESOLVE_EXTERNAL_IDS",
        "WAIT_BULK_UPDATE",
        "APPLYING_BULK_UPDATE",
        "POLL_EXTERNAL_IDS",
        "SCHEMA_CHANGED",
        "ABORTED",
    }
)
MAPPING_BROKEN = frozenset(
    {
        "BULK_LOAD_ERROR",
        "SYSTEM_ERROR",
        "DB_UNAVAILABLE",
        "BAD_CONFIG",
        "SYNC_REMOVED",
        "INACTIVE_ORG",
        "UNAUTHORIZED",
    }
)
