"""The recorder's SQL: what `connect-gate seed --record` installs and `--cleanup` removes.

Everything lives in one schema of its own (`names.RECORDER_SCHEMA`), plus two event triggers
(which belong to no schema) and one statement-level trigger per mapped table:

- `ddl_command_end` and `sql_drop` event triggers log every DDL command: its tag, the object it
  made or dropped, and the statement text (`current_query()`).
- TRUNCATE fires no event trigger and no row trigger, and Connect's row triggers log INSERT,
  UPDATE and DELETE into `_trigger_log` without the statement: the statement-level trigger on
  each mapped table records the text of every statement that writes to it or truncates it.

A text is stored once (keyed by its md5), however many commands it ran, with the transaction,
the time and the schemas its names resolved through when it first ran. The functions are
SECURITY DEFINER so that a migration role that is not the installer's can still record.
"""

from __future__ import annotations

from connect_gate.database import names
from connect_gate.database.seed_sql import quote_ident
from connect_gate.mapping_config import MappingConfig

SCHEMA = quote_ident(names.RECORDER_SCHEMA)
EVENT_TRIGGERS = ("connect_gate_recorder_ddl", "connect_gate_recorder_drop")
WRITE_TRIGGER = "connect_gate_recorder"
# No `SET search_path` (it costs each call a configuration change): every name below is
# schema-qualified, and pg_catalog is searched before anything a session could put on its path.
_DEFINER = "SECURITY DEFINER"

RECORDER = f"""
CREATE SCHEMA {SCHEMA};
COMMENT ON SCHEMA {SCHEMA} IS
    'What the migrations did, for connect-gate (sandbox-url). Remove with: connect-gate seed --cleanup';
CREATE TABLE {SCHEMA}.statements (
    id bigserial PRIMARY KEY,
    query_md5 text NOT NULL UNIQUE,
    query text NOT NULL,
    search_path text[] NOT NULL,
    txid bigint NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE {SCHEMA}.commands (
    seq bigserial PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    txid bigint NOT NULL,
    event text NOT NULL,
    command_tag text NOT NULL,
    object_type text,
    object_identity text,
    statement_id bigint NOT NULL REFERENCES {SCHEMA}.statements
);
CREATE FUNCTION {SCHEMA}.statement_id() RETURNS bigint LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    key text := pg_catalog.md5(pg_catalog.current_query());  -- a constant, so the index is used
    found bigint;
BEGIN
    -- Look it up, else insert it: updating the row each time would pile up versions of it in a
    -- long migration transaction and make every later lookup slower.
    SELECT id INTO found FROM {SCHEMA}.statements WHERE query_md5 = key;
    IF found IS NULL THEN
        INSERT INTO {SCHEMA}.statements (query_md5, query, search_path, txid)
        VALUES (key, pg_catalog.current_query(), pg_catalog.current_schemas(false)::text[],
                pg_catalog.txid_current())
        ON CONFLICT (query_md5) DO NOTHING
        RETURNING id INTO found;
    END IF;
    IF found IS NULL THEN  -- another session recorded the same text meanwhile
        SELECT id INTO found FROM {SCHEMA}.statements WHERE query_md5 = key;
    END IF;
    RETURN found;
END;
$$;
CREATE FUNCTION {SCHEMA}.record_ddl() RETURNS event_trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    statement bigint := {SCHEMA}.statement_id();
BEGIN
    IF TG_EVENT = 'sql_drop' THEN
        INSERT INTO {SCHEMA}.commands (txid, event, command_tag, object_type, object_identity, statement_id)
        SELECT txid_current(), TG_EVENT, TG_TAG, d.object_type, d.object_identity, statement
        FROM pg_event_trigger_dropped_objects() d WHERE d.original;
    ELSE
        INSERT INTO {SCHEMA}.commands (txid, event, command_tag, object_type, object_identity, statement_id)
        SELECT txid_current(), TG_EVENT, c.command_tag, c.object_type, c.object_identity, statement
        FROM pg_event_trigger_ddl_commands() c;
    END IF;
END;
$$;
CREATE FUNCTION {SCHEMA}.record_write() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
BEGIN
    INSERT INTO {SCHEMA}.commands (txid, event, command_tag, object_type, object_identity, statement_id)
    VALUES (txid_current(), 'write', TG_OP, 'table',
            quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME), {SCHEMA}.statement_id());
    RETURN NULL;
END;
$$;
"""

EVENT_TRIGGERS_SQL = f"""
CREATE EVENT TRIGGER {EVENT_TRIGGERS[0]} ON ddl_command_end EXECUTE FUNCTION {SCHEMA}.record_ddl();
CREATE EVENT TRIGGER {EVENT_TRIGGERS[1]} ON sql_drop EXECUTE FUNCTION {SCHEMA}.record_ddl();
"""

# Dropping the schema drops its functions and, with them, the triggers on the mapped tables.
CLEANUP = "".join(f"DROP EVENT TRIGGER IF EXISTS {name};\n" for name in EVENT_TRIGGERS) + (
    f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE;\n"
)


def install_script(config: MappingConfig) -> str:
    """Remove any earlier recorder, then install it; the event triggers last, so nothing of ours is logged."""
    schema = quote_ident(config.schema)
    write_triggers = "".join(
        f"CREATE TRIGGER {WRITE_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {schema}.{quote_ident(mapping.table)} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.record_write();\n"
        for mapping in config.mappings
    )
    return CLEANUP + RECORDER + write_triggers + EVENT_TRIGGERS_SQL
