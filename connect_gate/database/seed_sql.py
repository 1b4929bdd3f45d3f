"""The DDL of a Connect-shaped schema, as a `pg_dump` of a Connect database shows it.

The schema, the system tables, the system columns, Connect's indexes,
the per-table logger and status functions and triggers, the `_trigger_log` notify trigger, the
capture functions, `hstore` and `public.get_xmlbinary()`. Connect's sessions set
`xmlbinary = hex`, so their own writes are not logged; any other session (default `base64`) is a
user's change, logged to `_trigger_log` as NEW (read-write) or READONLY (read-only mapping).
"""

from __future__ import annotations

from connect_gate.database import names
from connect_gate.mapping_config import Access, Mapping, MappingConfig, field_column

COLUMN_TYPES = {"isdeleted": "boolean", "createddate": "timestamp", "lastmodifieddate": "timestamp"}
DEFAULT_COLUMN_TYPE = "varchar(255)"

TRIGGER_LOG_COLUMNS = """
    id serial PRIMARY KEY,
    txid bigint,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    processed_at timestamptz,
    processed_tx bigint,
    state varchar(8),
    action varchar(7),
    table_name varchar(128),
    record_id integer,
    sfid varchar(18),
    old text,
    "values" text,
    sf_result integer,
    sf_message text
"""

GET_XMLBINARY = """
CREATE OR REPLACE FUNCTION public.get_xmlbinary() RETURNS varchar LANGUAGE plpgsql AS $$
DECLARE xmlbin varchar;
BEGIN
    SELECT INTO xmlbin setting FROM pg_settings WHERE name = 'xmlbinary';
    RETURN xmlbin;
END;
$$;
"""


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def seed_script(config: MappingConfig) -> str:
    """The whole schema as one SQL script (run in one transaction)."""
    schema = quote_ident(config.schema)
    parts = [
        "CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;",
        GET_XMLBINARY,
        f"CREATE SCHEMA IF NOT EXISTS {schema};",
        system_tables(schema),
        schema_functions(config.schema),
    ]
    parts.extend(mapped_table(schema, mapping) for mapping in config.mappings)
    return "\n".join(parts)


def system_tables(schema: str) -> str:
    return f"""
CREATE TABLE {schema}._hcmeta (id serial PRIMARY KEY, hcver integer, org_id varchar(50), details text);
CREATE TABLE {schema}._sf_event_log (
    id serial PRIMARY KEY, table_name varchar(128), action varchar(7), synced_at timestamptz DEFAULT now(),
    sf_timestamp timestamptz, sfid varchar(20), record text, processed boolean);
CREATE TABLE {schema}._trigger_log ({TRIGGER_LOG_COLUMNS});
CREATE TABLE {schema}._trigger_log_archive ({TRIGGER_LOG_COLUMNS});
CREATE INDEX _trigger_log_idx_created_at ON {schema}._trigger_log (created_at);
CREATE INDEX _trigger_log_idx_state_id ON {schema}._trigger_log (state, id);
CREATE INDEX _trigger_log_idx_state_table_name ON {schema}._trigger_log (state, table_name)
    WHERE state = 'NEW' OR state = 'PENDING';
CREATE INDEX _trigger_log_archive_idx_created_at ON {schema}._trigger_log_archive (created_at);
CREATE INDEX _trigger_log_archive_idx_record_id ON {schema}._trigger_log_archive (record_id);
CREATE INDEX _trigger_log_archive_idx_state_table_name ON {schema}._trigger_log_archive (state, table_name)
    WHERE state = 'FAILED';
"""


def schema_functions(schema_name: str) -> str:
    schema = quote_ident(schema_name)
    channel = quote_literal(f"{schema_name}.hc_trigger_log")
    return f"""
CREATE FUNCTION {schema}.tlog_notify_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify({channel}, 'ping');
    RETURN NEW;
END;
$$;
CREATE TRIGGER {names.TLOG_TRIGGER} AFTER INSERT ON {schema}._trigger_log
    FOR EACH ROW EXECUTE PROCEDURE {schema}.tlog_notify_trigger();
CREATE FUNCTION {schema}.hc_capture_insert_from_row(
    source_row public.hstore, table_name varchar, excluded_cols text[] DEFAULT ARRAY[]::text[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    excluded_cols_standard text[] = ARRAY['_hc_lastop', '_hc_err']::text[];
    retval int;
BEGIN
    IF (source_row -> 'id') IS NULL THEN
        RETURN NULL;  -- the row must have Connect's integer id
    END IF;
    INSERT INTO {schema}._trigger_log (action, table_name, txid, created_at, state, record_id, "values")
    VALUES ('INSERT', table_name, txid_current(), clock_timestamp(), 'NEW', (source_row -> 'id')::int,
            source_row - excluded_cols_standard - excluded_cols)
    RETURNING id INTO retval;
    RETURN retval;
END;
$$;
CREATE FUNCTION {schema}.hc_capture_update_from_row(
    source_row public.hstore, table_name varchar, columns_to_include text[] DEFAULT ARRAY[]::text[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    excluded_cols_standard text[] = ARRAY['_hc_lastop', '_hc_err']::text[];
    excluded_cols text[];
    retval int;
BEGIN
    IF (source_row -> 'id') IS NULL THEN
        RETURN NULL;
    END IF;
    IF array_length(columns_to_include, 1) <> 0 THEN
        excluded_cols := array(SELECT skeys(source_row) EXCEPT SELECT unnest(columns_to_include));
    END IF;
    excluded_cols := array_cat(excluded_cols, excluded_cols_standard);
    INSERT INTO {schema}._trigger_log (action, table_name, txid, created_at, state, record_id, sfid, "values")
    VALUES ('UPDATE', table_name, txid_current(), clock_timestamp(), 'NEW', (source_row -> 'id')::int,
            source_row -> 'sfid', source_row - excluded_cols)
    RETURNING id INTO retval;
    RETURN retval;
END;
$$;
"""


SYSTEM_COLUMN_TYPES = (
    ("id", "serial PRIMARY KEY"),
    ("sfid", "varchar(18)"),
    ("systemmodstamp", "timestamp"),
    ("_hc_lastop", "varchar(32)"),
    ("_hc_err", "text"),
)


def column_types(mapping: Mapping) -> list[tuple[str, str]]:
    """(column, type) of the mapped table: the system columns, then the fields' in name order."""
    fields = [
        (column, COLUMN_TYPES.get(column, DEFAULT_COLUMN_TYPE))
        for column in sorted(names.field_columns(mapping))
    ]
    return [*SYSTEM_COLUMN_TYPES, *fields]


def column_definitions(mapping: Mapping) -> list[str]:
    return [f"{quote_ident(column)} {kind}" for column, kind in column_types(mapping)]


def mapped_table(schema: str, mapping: Mapping) -> str:
    table = mapping.table
    qualified = f"{schema}.{quote_ident(table)}"
    state = "NEW" if mapping.access is Access.READ_WRITE else "READONLY"
    logger = f"{schema}.{quote_ident(names.logger_function(table))}"
    status = f"{schema}.{quote_ident(names.status_function(table))}"
    columns = ",\n    ".join(column_definitions(mapping))
    return f"""
CREATE TABLE {qualified} (
    {columns}
);
{indexes(qualified, mapping)}
CREATE FUNCTION {logger}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    trigger_row {schema}._trigger_log;
    excluded_cols text[] = ARRAY['_hc_lastop', '_hc_err']::text[];
BEGIN
    trigger_row = ROW();
    trigger_row.id = nextval({quote_literal(schema + "._trigger_log_id_seq")});
    trigger_row.action = TG_OP::text;
    trigger_row.table_name = TG_TABLE_NAME::text;
    trigger_row.txid = txid_current();
    trigger_row.created_at = clock_timestamp();
    trigger_row.updated_at = trigger_row.created_at;
    trigger_row.state = '{state}';
    IF (TG_OP = 'DELETE') THEN
        trigger_row.record_id = OLD.id;
        trigger_row.old = public.hstore(OLD.*) - excluded_cols;
        trigger_row.sfid = OLD.sfid;
    ELSIF (TG_OP = 'INSERT') THEN
        trigger_row.record_id = NEW.id;
        trigger_row."values" = public.hstore(NEW.*) - excluded_cols;
    ELSE
        trigger_row.record_id = NEW.id;
        trigger_row.old = public.hstore(OLD.*) - excluded_cols;
        trigger_row."values" = (public.hstore(NEW.*) - public.hstore(trigger_row.old)) - excluded_cols;
        trigger_row.sfid = OLD.sfid;
    END IF;
    {logger_insert(schema)};
    RETURN NULL;
END;
$$;
CREATE FUNCTION {status}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (public.get_xmlbinary() = 'base64') THEN  -- a user's change, not Connect's own
        NEW._hc_lastop = 'PENDING';
        NEW._hc_err = NULL;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER {quote_ident(names.log_trigger(table))} AFTER INSERT OR UPDATE OR DELETE ON {qualified}
    FOR EACH ROW WHEN (public.get_xmlbinary()::text = 'base64'::text) EXECUTE PROCEDURE {logger}();
CREATE TRIGGER {quote_ident(names.status_trigger(table))} BEFORE INSERT OR UPDATE ON {qualified}
    FOR EACH ROW EXECUTE PROCEDURE {status}();
"""


def logger_insert(schema: str) -> str:
    """The statement by which a mapped table's logger queues a change in `_trigger_log` (`schema` quoted)."""
    return f"INSERT INTO {schema}._trigger_log VALUES (trigger_row.*)"


def indexes(qualified: str, mapping: Mapping) -> str:
    """Connect's indexes: systemmodstamp, unique sfid, and the mapping's own (upsert field unique)."""
    wanted: dict[str, bool] = {"systemmodstamp": False, "sfid": True}
    for field, unique in mapping.indexes:
        column = field_column(field)
        wanted[column] = wanted.get(column, False) or unique
    if mapping.upsert_field:
        wanted[field_column(mapping.upsert_field)] = True
    present = set(names.SYSTEM_COLUMNS) | set(names.field_columns(mapping))
    statements = []
    for column, unique in wanted.items():
        if column in present:
            name = quote_ident(names.index_name(mapping.table, column, unique))
            kind = "UNIQUE INDEX" if unique else "INDEX"
            statements.append(f"CREATE {kind} {name} ON {qualified} ({quote_ident(column)});")
    return "\n".join(statements)
