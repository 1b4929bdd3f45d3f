"""What Heroku Connect owns in the database: the mapped tables of the export, and its own machinery.

Names here are already folded as PostgreSQL folds them (the parser lowercases unquoted
identifiers and keeps quoted ones), so `"Account"` is not the mapped table `account`.
"""

from __future__ import annotations

import re

from connect_gate.mapping_config import Mapping, MappingConfig

SYSTEM_TABLES = frozenset({"_trigger_log", "_trigger_log_archive", "_hcmeta", "_sf_event_log"})
SYSTEM_COLUMNS = frozenset({"id", "sfid", "systemmodstamp", "isdeleted", "_hc_lastop", "_hc_err"})
SCHEMA_FUNCTIONS = frozenset(
    {"hc_capture_insert_from_row", "hc_capture_update_from_row", "tlog_notify_trigger"}
)
PUBLIC_FUNCTIONS = frozenset({"get_xmlbinary"})
CONNECT_PREFIX = "hc_"  # triggers hc_<t>_logtrigger / hc_<t>_status_trigger, functions hc_<t>_logger ...
INDEX_PREFIXES = ("hc_idx_", "hcu_idx_")
EXTENSIONS = frozenset({"hstore"})
_NAME_KEYWORDS = ("UNRESERVED_KEYWORD", "COL_NAME_KEYWORD")  # keywords that may also be plain names
SETTINGS = frozenset({"session_replication_role", "search_path", "xmlbinary"})


class Connect:
    """The mapping configuration, indexed for the questions the rules ask on every statement."""

    def __init__(self, config: MappingConfig) -> None:
        self.config = config
        self.schema = config.schema
        self.tables: dict[str, Mapping] = {mapping.table: mapping for mapping in config.mappings}
        words = sorted(
            {self.schema, *self.tables, *SYSTEM_TABLES, *SCHEMA_FUNCTIONS, *PUBLIC_FUNCTIONS},
            key=len,
            reverse=True,
        )
        self._word_set = frozenset(words)
        self._words = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
        names = sorted({*words, *EXTENSIONS, *SETTINGS}, key=len, reverse=True)
        # bytes.lower() folds ASCII only, on the names as on the text: both sides agree
        self._names = re.compile(b"|".join(re.escape(name.encode().lower()) for name in names))

    def named_at(self, data: bytes) -> list[int]:
        """Byte offsets in `data` where a name of Connect's appears (a superset of where it is used).

        A statement naming none of them cannot touch what Connect owns, unless an unqualified name
        resolves into the Connect schema through `search_path`; the engine checks that case itself.
        """
        return [match.start() for match in self._names.finditer(data.lower())]

    def mapping(self, schema: str, table: str) -> Mapping | None:
        return self.tables.get(table) if schema == self.schema else None

    def is_system_table(self, schema: str, table: str) -> bool:
        return schema == self.schema and table in SYSTEM_TABLES

    def owns_table(self, schema: str, table: str) -> bool:
        return self.mapping(schema, table) is not None or self.is_system_table(schema, table)

    def is_function(self, schema: str, name: str) -> bool:
        if name in PUBLIC_FUNCTIONS:
            return schema in ("", "public")
        return schema == self.schema and (name in SCHEMA_FUNCTIONS or name.startswith(CONNECT_PREFIX))

    def mentions(self, code: str) -> list[str]:
        """The names of Connect's schema, tables and functions that code we cannot analyse uses.

        Only identifiers count, as PostgreSQL's scanner reads them (not comments, not keywords such
        as CASE); string constants count when the code runs SQL from strings (EXECUTE).
        """
        from pglast import parser  # here: a run without migration files never loads the parser

        try:
            tokens = parser.scan(code)
        except parser.ParseError:  # not SQL-shaped enough to scan: every word counts
            return sorted({word.lower() for word in self._words.findall(code)})
        found: set[str] = set()
        strings: list[str] = []
        dynamic = False
        for token in tokens:
            text = code[token.start : token.end + 1]
            if token.name == "IDENT" or token.kind in _NAME_KEYWORDS:
                found.add(text[1:-1].replace('""', '"') if text.startswith('"') else text.lower())
                dynamic = dynamic or text.lower() == "execute"
            elif token.name == "SCONST":
                strings.append(text)
        if dynamic:
            found |= {word.lower() for text in strings for word in self._words.findall(text)}
        return sorted(found & self._word_set)
