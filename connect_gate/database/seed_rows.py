"""Sample rows for the seeded mapped tables, as Connect would have synced them from Salesforce.

A data migration that loops over rows (`for a in Account.objects.all(): a.save()`) writes
nothing to an empty table; with rows in it, it writes as it would on the review app. Each mapped
table gets `rows` rows with values that fit each column: an 18-character Salesforce id in `sfid`
(the object's key prefix, so that `AccountId` on a contact points at a seeded account), a
`systemmodstamp`, `_hc_lastop = 'SYNCED'`, `isdeleted = false`, dates for date fields, and text
shaped by the field's name (Name, Email, Phone, Website, references) for the others, unique per
row so that a unique index on an external id holds.

The rows are written as Connect writes them, with `xmlbinary = hex`: its triggers do not queue
them for Salesforce, and the recorder, installed after them, does not see them.
"""

from __future__ import annotations

from connect_gate.database.seed_sql import column_types, quote_ident, quote_literal
from connect_gate.mapping_config import Mapping, MappingConfig

# Salesforce's key prefixes of common standard objects (the first 3 characters of their ids).
KEY_PREFIXES = {
    "account": "001",
    "contact": "003",
    "user": "005",
    "opportunity": "006",
    "lead": "00Q",
    "task": "00T",
    "event": "00U",
    "case": "500",
    "campaign": "701",
    "contract": "800",
    "order": "801",
    "product2": "01t",
    "pricebook2": "01s",
    "asset": "02i",
}
OWNER_OBJECTS = {"ownerid": "user", "createdbyid": "user", "lastmodifiedbyid": "user"}
MAX_TEXT = 255


def key_prefix(object_name: str) -> str:
    return KEY_PREFIXES.get(object_name.lower(), "a00")


def salesforce_id(object_name: str) -> str:
    """SQL for the 18-character id of sample row `n` of `object_name`."""
    return f"{quote_literal(key_prefix(object_name))} || lpad(n::text, 12, '0') || 'AAA'"


def sample_rows(config: MappingConfig, rows: int) -> str:
    """SQL inserting `rows` sample rows into every mapped table, unseen by Connect's triggers."""
    if rows <= 0:
        return ""
    schema = quote_ident(config.schema)
    inserts = [_insert(schema, mapping, rows) for mapping in config.mappings]
    return "SET LOCAL xmlbinary = 'hex';\n" + "\n".join(inserts) + "\nRESET xmlbinary;\n"


def _insert(schema: str, mapping: Mapping, rows: int) -> str:
    columns = [(column, kind) for column, kind in column_types(mapping) if column not in ("id", "_hc_err")]
    names = ", ".join(quote_ident(column) for column, _kind in columns)
    values = ", ".join(_value(mapping, column, kind) for column, kind in columns)
    return (
        f"INSERT INTO {schema}.{quote_ident(mapping.table)} ({names})\n"
        f"SELECT {values} FROM generate_series(1, {rows}) AS n;"
    )


def _value(mapping: Mapping, column: str, kind: str) -> str:
    if column == "sfid":
        return salesforce_id(mapping.object_name)
    if column == "_hc_lastop":
        return "'SYNCED'"
    if kind == "boolean":
        return "false"
    if kind.startswith("timestamp"):
        step = "hour" if column == "systemmodstamp" else "day"
        return f"now() - n * interval '1 {step}'"
    return f"left({_text(mapping, column)}, {MAX_TEXT})"


def _text(mapping: Mapping, column: str) -> str:
    label = f"{mapping.object_name} "
    if column.endswith("id") and len(column) > 2 and not column.endswith("__c"):
        referenced = OWNER_OBJECTS.get(column, column.removesuffix("id"))
        return salesforce_id(referenced)
    if "email" in column:
        return "'sample' || n || '@example.com'"
    if "phone" in column or column == "fax":
        return "'+1 555 01' || lpad(n::text, 2, '0')"
    if column in ("website", "url") or column.endswith("url__c"):
        return "'https://example.com/' || n"
    if column == "firstname":
        return "'Sample'"
    if column == "lastname":
        return f"{quote_literal(label)} || n"
    if column == "name" or column.endswith("name"):
        return f"{quote_literal('Sample ' + label)} || n"
    return f"{quote_literal(column.removesuffix('__c').replace('_', ' ').title() + ' ')} || n"
