"""No migration rule crashes on squawk's fixtures, and no fixture passes unread.

squawk (https://github.com/sbdchd/squawk, Apache-2.0 OR MIT) is a migration linter; its fixtures
are SQL written to test a PostgreSQL parser, formatter and linter: valid statements of every kind,
SQL its parser must reject (crates/squawk_parser/tests/data/err), PL/pgSQL, and the migrations its
own rules are tested on. `make test` downloads them, pinned, from squawk-cli's source distribution
on PyPI into .corpus/squawk (see the Makefile); tests/squawk_fixtures.py lists them. Every rule runs
over each fixture, with the tables the fixtures use most mapped by Connect: no rule may crash
(unparsable SQL is an `unparsable-statement` finding, not a crash), and every fixture that holds a
statement gives analysed statements or findings. The fixtures name few of Connect's own tables,
triggers and functions, so they run a second time with every identifier renamed to one of those
(tests/sql_corpora.py), which is where the rules about Connect's machinery run.
"""

from __future__ import annotations

import re

import pytest
from sql_corpora import CONNECT_NAMED, CONNECT_NAMES, connect_config, renamed_to_connects, scan
from squawk_fixtures import fixtures, sql_literals

from connect_gate.check import Check, Problem
from connect_gate.checks import own_checks
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations import analyse as engine

# the relations squawk's fixtures name most (with pglast's parser), and their most common columns
TABLES = (
    "t", "users", "foo", "v", "u", "records", "core_recipe", "bar", "accounts", "events", "table_name",
    "k", "core_foo", "i", "s", "x", "app_email", "films", "c", "a", "ft", "b", "my_table", "orders",
)  # fmt: skip
FIELDS = ("Id", "Name", "C", "A", "B", "Foo", "User_id", "Email")


def config(schema: str) -> MappingConfig:
    return connect_config(schema, TABLES, FIELDS)


@pytest.fixture(scope="module")
def squawk() -> list[tuple[str, str]]:
    return fixtures()


def test_every_kind_of_squawk_fixture_is_there(squawk: list[tuple[str, str]]) -> None:
    folders = {name.rsplit("/", 1)[0] for name, _ in squawk}
    assert {
        "crates/squawk_parser/tests/data/ok",
        "crates/squawk_parser/tests/data/err",
        "crates/squawk_parser/tests/data/plpgsql/ok",
        "crates/squawk_fmt/tests/before",
        "crates/squawk_syntax/test_data/validation",
    } <= folders
    from_rules = [name for name, _ in squawk if name.startswith("crates/squawk_linter/src/rules/")]
    assert len(squawk) - len(from_rules) >= 580
    assert len(from_rules) >= 450  # the SQL of squawk's rule tests


@pytest.mark.parametrize("schema", ["public", "salesforce"])
def test_no_rule_crashes_on_squawks_fixtures(squawk: list[tuple[str, str]], schema: str) -> None:
    result = scan(squawk, config(schema))
    assert result.crashes == []
    assert result.unread == []
    assert result.files == len(squawk)
    assert result.statements > 10_000  # the fixtures were read, not skipped


def test_no_rule_crashes_on_squawks_fixtures_renamed_to_connects_names(squawk: list[tuple[str, str]]) -> None:
    result = scan([(name, renamed_to_connects(sql)) for name, sql in squawk], CONNECT_NAMED)
    assert result.crashes == []
    assert result.unread == []
    assert result.statements > 10_000


def test_renaming_to_connects_names_touches_identifiers_only() -> None:
    sql = (
        "ALTER TABLE \"Core\".recipe ADD COLUMN foo int DEFAULT 1; -- recipe\nSELECT 'recipe', recipe FROM t;"
    )
    renamed = renamed_to_connects(sql)
    match = re.fullmatch(
        r"ALTER TABLE (\w+)\.(\w+) ADD COLUMN (\w+) int DEFAULT 1; -- recipe\nSELECT 'recipe', (\w+) FROM (\w+);",
        renamed,
    )
    assert match, renamed  # keywords, the number, the comment and the string are kept
    schema, table, column, selected, source = match.groups()
    assert {schema, table, column, selected, source} <= set(CONNECT_NAMES)
    assert selected == table  # the same identifier gets the same name


def test_the_sql_of_squawks_rule_tests_is_taken_out_of_their_rust_literals() -> None:
    rust = r"""
fn helper(x: &'a str) -> char { '"' }
#[cfg(test)]
mod test {
    // let sql = "not this, a comment";
    #[test]
    fn raw() {
        let sql = r#"
ALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10;
        "#;
        lint_ok(sql, Rule::AddingFieldWithDefault);
    }
    #[test]
    fn plain() {
        let sql = "begin;\n  alter table t add column c text;\
                   commit;";
        lint_errors("DROP TABLE \"t\";", Rule::BanDropTable);
        assert_snapshot!(fix(r##"CREATE TABLE t (c "# int);"##), @"CREATE TABLE t (c bigint);");
        let message = "not SQL";
        let sql = format!("create table {name} (id bigint);");
    }
}
"""
    assert sql_literals(rust) == [
        (8, '\nALTER TABLE "core_recipe" ADD COLUMN "foo" integer DEFAULT 10;\n        '),
        (15, "begin;\n  alter table t add column c text;commit;"),
        (17, 'DROP TABLE "t";'),
        (18, 'CREATE TABLE t (c "# int);'),
    ]


def test_a_rule_crashing_on_a_fixture_fails_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(node: object, ctx: object) -> list[Problem]:
        raise KeyError("relname")

    broken = Check(own_checks()["mapped-column-changed"], crash)
    monkeypatch.setitem(engine._DISPATCH, "AlterTableStmt", (broken,))
    sql = "SELECT 1;\nALTER TABLE users ADD COLUMN c int;\n"
    assert scan([("f.sql", sql)], config("public")).crashes == [
        "f.sql:2: Rule mapped-column-changed crashed on this statement (KeyError: 'relname'); "
        "the statement was not checked by it."
    ]
