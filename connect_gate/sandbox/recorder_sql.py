"""The recorder's SQL: what `connect-gate seed --record` installs and `--cleanup` removes.

Everything lives in one schema of its own (`names.RECORDER_SCHEMA`), plus two event triggers
(which belong to no schema) and one statement-level trigger per mapped table and per system table
of Connect's:

- `ddl_command_end` and `sql_drop` event triggers log every DDL command: its tag, the object it
  made or dropped, and the statement text (`current_query()`).
- TRUNCATE fires no event trigger and no row trigger, and Connect's row triggers log INSERT,
  UPDATE and DELETE into `_trigger_log` without the statement: the statement-level trigger on
  each mapped table records the text of every statement that writes to it or truncates it.
- The same trigger on `_trigger_log`, `_trigger_log_archive`, `_hcmeta` and `_sf_event_log`
  (those that exist: a schema seeded earlier may lack one) records every statement that writes
  into Connect's bookkeeping: deleting `_trigger_log` rows drops changes Connect would have sent
  to Salesforce, inserting some makes it send forged ones
  (https://devcenter.heroku.com/articles/heroku-connect-trigger-log).

Connect's logger (`hc_<table>_logger()`, a row trigger on each mapped table) also inserts into
`_trigger_log`, once per row any statement changes: that is Connect at work, and the change is
already recorded on the mapped table. Those INSERTs are told apart by who ran them, not by what
else the statement did: on `_trigger_log`, an INSERT run from inside a trigger
(`pg_trigger_depth()` above 1 when ours fires) is left out when the call stack (`PG_CONTEXT`)
shows, just above it, the logger's own INSERT statement run by a function named
`<schema>.hc_<table>_logger()`. So:

- a DO block, a function or SQL built by EXECUTE writing the log runs at depth 0 (ours fires at
  depth 1): always recorded, even when the same statement also changed a mapped table (a DO
  block that updates `account` and forges a log row is reported for both: Connect's INSERT for
  the UPDATE is left out, the forged one is not);
- the app's trigger on the app's own table writing the log is inside a trigger, but the stack
  names the app's function, not a logger: recorded;
- an UPDATE of a mapped table, directly or through the app's trigger: only the logger's INSERTs
  reach `_trigger_log`, and they are left out.

The stack names a function without its schema when the function is visible on the search path
(Connect's schema on it): such a name counts only if it resolves into Connect's schema, so that
the app's `public.hc_account_logger()` running the logger's very INSERT is not taken for it. One
made in Connect's schema would be, but making it is itself reported (`connect-internals-touched`).
Only the INSERTs into `_trigger_log` run from inside a trigger pay for reading the stack.

A text is stored once (keyed by its md5), with the schemas its names resolved through when it
first ran; every command it ran is logged with its own transaction, so a text that two migrations
sent is attributed to each of them. A command also names the table it changed (the table of an
index, a trigger, a constraint or a column), so that what a DO block, a function or a trigger
did to a mapped table is judged whatever its text. The functions are SECURITY DEFINER so that a
migration role that is not the installer's can still record.
"""

from __future__ import annotations

from connect_gate.database import names
from connect_gate.database.seed_sql import logger_insert, quote_ident, quote_literal
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.connect import SYSTEM_TABLES

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
    relation text[],  -- (schema, table) of the table the command changed, when it changed one
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
CREATE FUNCTION {SCHEMA}.relation_of(classid oid, objid oid) RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT ARRAY[n.nspname::text, c.relname::text]
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = CASE classid
        WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN COALESCE(
            (SELECT i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = objid), objid)
        WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN
            (SELECT t.tgrelid FROM pg_catalog.pg_trigger t WHERE t.oid = objid)
        WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN
            (SELECT k.conrelid FROM pg_catalog.pg_constraint k WHERE k.oid = objid)
        WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN
            (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = objid)
        WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass THEN
            (SELECT p.polrelid FROM pg_catalog.pg_policy p WHERE p.oid = objid)
    END
$$;
CREATE FUNCTION {SCHEMA}.record_ddl() RETURNS event_trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    statement bigint := {SCHEMA}.statement_id();
BEGIN
    IF TG_EVENT = 'sql_drop' THEN
        -- The dropped object is gone from the catalogs: its table is the start of its address.
        INSERT INTO {SCHEMA}.commands
            (txid, event, command_tag, object_type, object_identity, relation, statement_id)
        SELECT txid_current(), TG_EVENT, TG_TAG, d.object_type, d.object_identity,
               CASE WHEN d.object_type IN ('table', 'table column', 'table constraint', 'trigger', 'rule',
                                           'policy', 'view', 'materialized view', 'foreign table')
                    THEN d.address_names[1:2] END,
               statement
        FROM pg_event_trigger_dropped_objects() d WHERE d.original;
    ELSE
        INSERT INTO {SCHEMA}.commands
            (txid, event, command_tag, object_type, object_identity, relation, statement_id)
        SELECT txid_current(), TG_EVENT, c.command_tag, c.object_type, c.object_identity,
               {SCHEMA}.relation_of(c.classid, c.objid), statement
        FROM pg_event_trigger_ddl_commands() c;
    END IF;
END;
$$;
CREATE FUNCTION {SCHEMA}.record_write() RETURNS trigger LANGUAGE plpgsql {_DEFINER} AS $$
DECLARE
    context text;
    at integer;
    caller text;
BEGIN
    -- On _trigger_log, the argument is how the call stack (after its first line, this function)
    -- shows Connect's logger queuing a change: its INSERT, then the logger (see the docstring).
    -- String functions, not a regular expression: this runs for every row Connect logs.
    IF TG_NARGS = 1 AND TG_OP = 'INSERT' AND pg_catalog.pg_trigger_depth() > 1 THEN
        GET DIAGNOSTICS context = PG_CONTEXT;
        at := pg_catalog.strpos(context, TG_ARGV[0]);
        IF at > 0 AND at = pg_catalog.strpos(context, E'\n') THEN
            caller := pg_catalog.split_part(
                pg_catalog.substr(context, at + pg_catalog.length(TG_ARGV[0])), ' line ', 1);
            IF caller LIKE pg_catalog.quote_ident(TG_TABLE_SCHEMA) || '.hc\\_%\\_logger()'
               OR caller LIKE 'hc\\_%\\_logger()' AND EXISTS (  -- on the search path: Connect's?
                   SELECT FROM pg_catalog.pg_proc p
                   JOIN pg_catalog.pg_class c ON c.relnamespace = p.pronamespace
                   WHERE p.oid = pg_catalog.to_regprocedure(caller) AND c.oid = TG_RELID) THEN
                RETURN NULL;
            END IF;
        END IF;
    END IF;
    INSERT INTO {SCHEMA}.commands
        (txid, event, command_tag, object_type, object_identity, relation, statement_id)
    VALUES (txid_current(), 'write', TG_OP, 'table',
            quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME),
            ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text], {SCHEMA}.statement_id());
    RETURN NULL;
END;
$$;
"""

EVENT_TRIGGERS_SQL = f"""
CREATE EVENT TRIGGER {EVENT_TRIGGERS[0]} ON ddl_command_end EXECUTE FUNCTION {SCHEMA}.record_ddl();
CREATE EVENT TRIGGER {EVENT_TRIGGERS[1]} ON sql_drop EXECUTE FUNCTION {SCHEMA}.record_ddl();
"""

# Dropping the schema drops its functions and, with them, the triggers on Connect's tables.
CLEANUP = "".join(f"DROP EVENT TRIGGER IF EXISTS {name};\n" for name in EVENT_TRIGGERS) + (
    f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE;\n"
)


def install_script(config: MappingConfig) -> str:
    """Remove any earlier recorder, then install it; the event triggers last, so nothing of ours is logged."""
    schema = quote_ident(config.schema)
    write_triggers = "".join(
        _write_trigger(f"{schema}.{quote_ident(mapping.table)}") for mapping in config.mappings
    )
    # on those of Connect's system tables that are there (a schema seeded earlier may lack some)
    logger = _connect_logger(config.schema)
    system_triggers = ""
    for name in sorted(SYSTEM_TABLES):
        table = f"{schema}.{quote_ident(name)}"
        system_triggers += (
            f"    IF pg_catalog.to_regclass({quote_literal(table)}) IS NOT NULL THEN\n"
            f"        {_write_trigger(table, *([logger] if name == '_trigger_log' else []))}"
            "    END IF;\n"
        )
    return (
        CLEANUP
        + RECORDER
        + write_triggers
        + f"DO $recorder$\nBEGIN\n{system_triggers}END\n$recorder$;\n"
        + EVENT_TRIGGERS_SQL
    )


def _write_trigger(table: str, *arguments: str) -> str:
    """The statement-level trigger that records every statement writing to `table` (quoted)."""
    return (
        f"CREATE TRIGGER {WRITE_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.record_write"
        f"({', '.join(quote_literal(argument) for argument in arguments)});\n"
    )


def _connect_logger(schema: str) -> str:
    """How `PG_CONTEXT` shows Connect's logger inserting into `_trigger_log` of `schema`, from the
    end of its first line: the line of the INSERT, then the start of the line naming the function."""
    return f'\nSQL statement "{logger_insert(quote_ident(schema))}"\nPL/pgSQL function '
