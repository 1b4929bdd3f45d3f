"""Fixtures on the session's throwaway PostgreSQL (see tests/pg.py): a fresh database per test.

`seeded_db` is a copy (CREATE DATABASE ... TEMPLATE) of a database seeded once per session from
examples/connect-export.json; `empty_db` is empty. Both are dropped after the test.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pg import NoDatabaseError, Server, test_server

from connect_gate.database.seed import seed
from connect_gate.mapping_config import MappingConfig, load_export

EXAMPLE_EXPORT = Path(__file__).resolve().parent.parent / "examples" / "connect-export.json"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Database:
    server: Server
    name: str

    @property
    def url(self) -> str:
        """As the gate gets it: the test role, with its password, over TCP."""
        return self.server.url(self.name)

    def execute(self, sql: str) -> None:
        """Run `sql` as the administrator: how a test breaks the schema."""
        self.server.execute(sql, self.name)

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        """Rows of `sql`, read as the administrator: how a test looks at what happened."""
        return self.server.query(sql, self.name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    failure = ""
    try:
        with test_server() as server:
            yield server
    except NoDatabaseError as exc:
        failure = str(exc)
    if failure:  # outside `except`, so that the message is not buried under a chained traceback
        pytest.fail(f"no PostgreSQL for the database tests: {failure}", pytrace=False)


@pytest.fixture(scope="session")
def example_config() -> MappingConfig:
    return load_export(EXAMPLE_EXPORT)


@pytest.fixture(scope="session")
def seeded_template(pg_server: Server, example_config: MappingConfig) -> Iterator[str]:
    name = f"{pg_server.prefix}_seeded"
    pg_server.create_database(name)
    seed(pg_server.url(name), example_config)
    yield name
    pg_server.drop_database(name)


def _fresh(server: Server, template: str) -> Iterator[Database]:
    database = Database(server, f"{server.prefix}_t{next(_numbers)}")
    server.create_database(database.name, template)
    try:
        yield database
    finally:
        server.drop_database(database.name)


@pytest.fixture
def seeded_db(pg_server: Server, seeded_template: str) -> Iterator[Database]:
    yield from _fresh(pg_server, seeded_template)


@pytest.fixture
def empty_db(pg_server: Server) -> Iterator[Database]:
    yield from _fresh(pg_server, "template1")
