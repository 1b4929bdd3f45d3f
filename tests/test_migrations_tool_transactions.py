"""`concurrent-index-in-transaction` in files a migration tool runs: each layout of each statement is
sent to the real PostgreSQL the way its tool sends it (tools.py cites the tool's source for each),
and the rule reports the file exactly when PostgreSQL refuses the statement there."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import NamedTuple

import psycopg2
import pytest
from conftest_pg import Database

from connect_gate.findings import Finding, Status
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.analyse import analyse_files, analyse_sql

RULE = "concurrent-index-in-transaction"
INDEX = "CREATE INDEX CONCURRENTLY account_industry ON salesforce.account (industry);"
TIMEOUT = "SET lock_timeout = '5s';"
DOWN = "DROP INDEX account_industry;"


class Layout(NamedTuple):
    name: str  # the file's path in the repository
    sql: str
    transaction: bool  # whether the tool opens a transaction (BEGIN) before sending
    sent: tuple[str, ...]  # the query strings the tool sends, in order
    advice: str  # what the finding must tell, when PostgreSQL refuses it ('' when it does not)


def layouts(statement: str) -> dict[str, Layout]:
    """How each tool meets a file of `statement`."""
    return {
        "goose": Layout(
            "db/migrations/00001_index.sql",
            f"-- +goose Up\n{statement}\n-- +goose Down\n{DOWN}\n",
            True,
            (statement,),
            "goose runs this file in a transaction, where PostgreSQL refuses it and the migration fails: "
            "add `-- +goose NO TRANSACTION`",
        ),
        "goose NO TRANSACTION": Layout(
            "db/migrations/00001_index.sql",
            f"-- +goose NO TRANSACTION\n-- +goose Up\n{TIMEOUT}\n{statement}\n-- +goose Down\n{DOWN}\n",
            False,
            (TIMEOUT, statement),  # one Exec per statement
            "",
        ),
        "goose NO TRANSACTION in the down section": Layout(
            "db/migrations/00001_index.sql",
            f"-- +goose Up\n{statement}\n-- +goose Down\n-- +goose NO TRANSACTION\n{DOWN}\n",
            False,
            (statement,),
            "",
        ),
        "dbmate": Layout(
            "db/migrations/20240101000000_index.sql",
            f"-- migrate:up\n{statement}\n\n-- migrate:down\n{DOWN}\n",
            True,
            (statement,),
            "dbmate runs this `-- migrate:up` block in a transaction, where PostgreSQL refuses it and the "
            "migration fails: write `-- migrate:up transaction:false`",
        ),
        "dbmate transaction:false": Layout(
            "db/migrations/20240101000000_index.sql",
            f"-- migrate:up transaction:false\n{statement}\n\n-- migrate:down\n{DOWN}\n",
            False,
            (statement,),
            "",
        ),
        "dbmate transaction:false, two statements": Layout(
            "db/migrations/20240101000000_index.sql",
            f"-- migrate:up transaction:false\n{TIMEOUT}\n{statement}\n\n-- migrate:down\n{DOWN}\n",
            False,
            (f"{TIMEOUT}\n{statement}",),  # the block is one Exec
            "dbmate sends the `-- migrate:up` block as one query string, even with `transaction:false`",
        ),
        "golang-migrate": Layout("db/migrations/1_index.up.sql", f"{statement}\n", False, (statement,), ""),
        "golang-migrate, two statements": Layout(
            "db/migrations/1_index.up.sql",
            f"{TIMEOUT}\n{statement}\n",
            False,
            (f"{TIMEOUT}\n{statement}\n",),  # the file is one Exec
            "golang-migrate's postgres driver sends this file as one query string",
        ),
        "Prisma": Layout(
            "prisma/migrations/20240101_index/migration.sql", f"{statement}\n", False, (statement,), ""
        ),
        "Prisma, two statements (before prisma-engines#5767)": Layout(
            "prisma/migrations/20240101_index/migration.sql",
            f"{TIMEOUT}\n{statement}\n",
            False,
            (f"{TIMEOUT}\n{statement}\n",),
            "Check the Prisma version",
        ),
        "psql": Layout("db/sql/index.sql", f"{TIMEOUT}\n{statement}\n", False, (TIMEOUT, statement), ""),
    }


def send(db: Database, layout: Layout) -> str:
    """Send the query strings as the tool does; PostgreSQL's error, or '' when the index was built."""
    connection = db.server.admin_connection(db.name)
    connection.autocommit = not layout.transaction  # psycopg2 then opens the transaction, as BeginTx
    try:
        with connection.cursor() as cursor:
            for query in layout.sent:
                cursor.execute(query)
        connection.commit()
        return ""
    except psycopg2.Error as error:
        connection.rollback()
        return str(error).strip()
    finally:
        connection.close()


def reported(name: str, sql: str, config: MappingConfig) -> list[Finding]:
    return [f for f in analyse_sql(sql, name, config).findings if f.check_id == RULE]


class Statement(NamedTuple):
    sql: str
    refused: str  # PostgreSQL's error inside a transaction block
    says: str  # how the finding starts
    target: str  # the index it builds, drops or rebuilds: its relfilenode changes when it runs


STATEMENTS = {
    "CREATE INDEX": Statement(
        INDEX,
        "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
        "Builds an index on salesforce.account (Account) CONCURRENTLY, but ",
        "account_industry",
    ),
    "DROP INDEX": Statement(
        "DROP INDEX CONCURRENTLY salesforce.hc_idx_account_systemmodstamp;",
        "DROP INDEX CONCURRENTLY cannot run inside a transaction block",
        "Drops index salesforce.hc_idx_account_systemmodstamp of salesforce.account (Account) CONCURRENTLY, "
        "but ",
        "hc_idx_account_systemmodstamp",
    ),
    "REINDEX TABLE": Statement(
        "REINDEX TABLE CONCURRENTLY salesforce.account;",
        "REINDEX CONCURRENTLY cannot run inside a transaction block",
        "Rebuilds the indexes of salesforce.account (Account) CONCURRENTLY, but ",
        "hcu_idx_account_sfid",
    ),
    "REINDEX INDEX": Statement(
        "REINDEX (CONCURRENTLY) INDEX salesforce.hcu_idx_account_sfid;",
        "REINDEX CONCURRENTLY cannot run inside a transaction block",
        "Rebuilds index salesforce.hcu_idx_account_sfid of salesforce.account (Account) CONCURRENTLY, but ",
        "hcu_idx_account_sfid",
    ),
}
CASES = [
    pytest.param(statement, layout, id=f"{kind}: {name}")
    for kind, statement in STATEMENTS.items()
    for name, layout in layouts(statement.sql).items()
]


def storage(db: Database, index: str) -> list[tuple[object, ...]]:
    return db.rows(f"SELECT (SELECT relfilenode FROM pg_class WHERE relname = '{index}')")


@pytest.mark.parametrize(("statement", "layout"), CASES)
def test_the_rule_reports_a_layout_exactly_when_postgresql_refuses_the_statement_there(
    seeded_db: Database, example_config: MappingConfig, statement: Statement, layout: Layout
) -> None:
    before = storage(seeded_db, statement.target)
    refused = send(seeded_db, layout)
    ran = storage(seeded_db, statement.target) != before
    if layout.advice:
        assert (refused, ran) == (statement.refused, False)
        [finding] = reported(layout.name, layout.sql, example_config)
        assert finding.status is Status.YELLOW
        assert layout.advice in finding.message
        assert finding.message.startswith(statement.says)
        assert finding.location is not None and finding.location.file == layout.name
        line = layout.sql.splitlines().index(statement.sql) + 1
        assert finding.location.line == line
    else:
        assert (refused, ran) == ("", True)
        assert reported(layout.name, layout.sql, example_config) == []


def test_a_dbmate_file_with_two_up_blocks_is_judged_block_by_block(example_config: MappingConfig) -> None:
    sql = (
        f"-- migrate:up transaction:false\n{INDEX}\n-- migrate:down\n{DOWN}\n"
        f"-- migrate:up\n{INDEX.replace('account_industry', 'account_name')}\n-- migrate:down\nSELECT 1;\n"
    )
    [finding] = reported("db/migrations/1_two.sql", sql, example_config)
    assert (finding.location and finding.location.line) == 6
    assert "dbmate runs this `-- migrate:up` block in a transaction" in finding.message


def flyway(tmp_path: Path, config: MappingConfig, sql: str, conf: str | None = None) -> list[Finding]:
    migration = tmp_path / "db" / "V2_1__index.sql"
    migration.parent.mkdir(parents=True, exist_ok=True)
    migration.write_text(sql, encoding="utf-8")
    if conf is not None:
        (tmp_path / "db" / "V2_1__index.sql.conf").write_text(conf, encoding="utf-8")
    return [f for f in analyse_files([migration], config, tmp_path).findings if f.check_id == RULE]


@pytest.mark.parametrize(
    ("sql", "conf"),
    [
        (f"{INDEX}\n", None),  # Flyway sees it cannot run in a transaction and runs the file without one
        (
            f"-- the index\n{INDEX}\nDROP INDEX CONCURRENTLY IF EXISTS old_index;\nVACUUM salesforce.account;\n",
            None,
        ),
        (f"{TIMEOUT}\n{INDEX}\n", "executeInTransaction=false\n"),
    ],
)
def test_a_flyway_migration_it_runs_outside_a_transaction_is_not_reported(
    tmp_path: Path, example_config: MappingConfig, sql: str, conf: str | None
) -> None:
    assert flyway(tmp_path, example_config, sql, conf) == []


def test_a_flyway_migration_that_mixes_it_with_transactional_statements_is_reported(
    tmp_path: Path, example_config: MappingConfig
) -> None:
    [finding] = flyway(tmp_path, example_config, f"{TIMEOUT}\n{INDEX}\n")
    assert (
        "Flyway refuses a migration that mixes it with statements it runs in a transaction" in finding.message
    )
    assert "set `executeInTransaction=false` in V2_1__index.sql.conf" in finding.message


def test_a_flyway_script_configuration_that_asks_for_a_transaction_is_reported(
    tmp_path: Path, example_config: MappingConfig
) -> None:
    [finding] = flyway(tmp_path, example_config, f"{INDEX}\n", "executeInTransaction = true\n")
    assert (
        "V2_1__index.sql.conf sets `executeInTransaction=true`, so Flyway runs this file in a transaction"
        in (finding.message)
    )


class StuckError(Exception):
    pass


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "too-big"])
def test_a_flyway_script_configuration_that_is_no_small_file_is_never_read(
    tmp_path: Path, example_config: MappingConfig, kind: str
) -> None:
    # A pull request can commit a FIFO (opening it would wait forever) or a link to /dev/zero (reading
    # it would fill the memory) under the name Flyway reads: Flyway's default applies, at once.
    conf = tmp_path / "db" / "V2_1__index.sql.conf"
    conf.parent.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(conf)
    elif kind == "dev-zero":
        conf.symlink_to("/dev/zero")
    else:
        conf.write_text("executeInTransaction=true\n" + "#" * 70_000, encoding="utf-8")

    def stuck(signum: int, frame: object) -> None:
        raise StuckError

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(20)
    try:
        [finding] = flyway(tmp_path, example_config, f"{TIMEOUT}\n{INDEX}\n")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "Flyway refuses a migration that mixes it" in finding.message


def test_the_files_own_begin_comes_first(example_config: MappingConfig) -> None:
    sql = f"-- +goose NO TRANSACTION\n-- +goose Up\nBEGIN;\n{INDEX}\nCOMMIT;\n"
    [finding] = reported("db/migrations/1_x.sql", sql, example_config)
    assert "after this file's BEGIN" in finding.message


REINDEX = STATEMENTS["REINDEX TABLE"].sql


@pytest.mark.parametrize("sql", [REINDEX, f"{TIMEOUT}\n{REINDEX}", f"{INDEX}\n{REINDEX}"])
def test_flyway_runs_reindex_concurrently_in_the_migrations_transaction_and_it_is_reported(
    tmp_path: Path, example_config: MappingConfig, sql: str
) -> None:
    *before, found = flyway(tmp_path, example_config, f"{sql}\n")
    assert found.message.startswith(STATEMENTS["REINDEX TABLE"].says + "Flyway's parser does not know")
    assert "set `executeInTransaction=false` in V2_1__index.sql.conf" in found.message
    # a CREATE INDEX CONCURRENTLY beside it makes the migration one Flyway refuses
    assert [finding.message.split(", but ")[1][:42] for finding in before] == (
        ["Flyway refuses a migration that mixes it w"] if sql.startswith(INDEX) else []
    )


def test_flyway_runs_reindex_concurrently_outside_a_transaction_when_told_to(
    tmp_path: Path, example_config: MappingConfig
) -> None:
    assert flyway(tmp_path, example_config, f"{TIMEOUT}\n{REINDEX}\n", "executeInTransaction=false\n") == []


def test_flyway_runs_a_migration_of_drop_index_concurrently_alone_outside_a_transaction(
    tmp_path: Path, example_config: MappingConfig
) -> None:
    drop = STATEMENTS["DROP INDEX"].sql
    assert flyway(tmp_path, example_config, f"{drop}\n{INDEX}\n") == []
    [finding] = flyway(tmp_path / "mixed", example_config, f"{TIMEOUT}\n{drop}\n")
    assert "Flyway refuses a migration that mixes it" in finding.message
