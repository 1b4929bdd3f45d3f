"""What the sandbox tests share: a superuser as the CI service container has one, and running migrations.

The postgres service container's POSTGRES_USER is a superuser with a password, reached over TCP:
`sandbox_db` gives a fresh empty database and such a role's URL for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest_pg import EXAMPLE_EXPORT, Database
from pg import PG_BIN, Server

from connect_gate.database.url import parse_url

ALEMBIC_ENV = """
from alembic import context

context.configure(connection=context.config.attributes["connection"], target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
"""


@dataclass(frozen=True)
class Sandbox:
    database: Database
    url: str  # a superuser's, with its password, over TCP: what the workflow's steps use

    def seed(self, *args: str) -> None:
        """`connect-gate seed` of the example export into this database (`--record`: with the recorder)."""
        from connect_gate.seed_cli import seed_main

        assert seed_main(["--mapping-config", str(EXAMPLE_EXPORT), "--database-url", self.url, *args]) == 0

    def psql(self, path: Path) -> None:
        """Run a SQL file as `psql -f` does: statement by statement, stopping at the first error."""
        parsed = parse_url(self.url)
        env = {**os.environ, "PGPASSWORD": parsed.password}
        subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                parsed.host,
                "-p",
                str(parsed.port),
                "-U",
                parsed.user,
                "-d",
                parsed.dbname,
                "-f",
                str(path),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )

    def execute(self, *statements: str) -> None:
        """Send each statement as one query, in one transaction, as a migration tool does."""
        import psycopg2

        keywords: dict[str, Any] = dict(parse_url(self.url).keywords())
        connection = psycopg2.connect(**keywords)
        try:
            with connection, connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    def alembic_upgrade(self, root: Path) -> None:
        """`alembic upgrade head` on the migrations in `root/alembic/versions` (one transaction)."""
        from alembic import command
        from alembic.config import Config
        from sqlalchemy import URL, create_engine

        (root / "alembic" / "env.py").write_text(ALEMBIC_ENV)
        parsed = parse_url(self.url)
        engine = create_engine(
            URL.create(
                "postgresql+psycopg2",
                username=parsed.user,
                password=parsed.password,
                host=parsed.host,
                port=parsed.port,
                database=parsed.dbname,
            )
        )
        try:
            with engine.begin() as connection:
                config = Config()
                config.set_main_option("script_location", str(root / "alembic"))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            engine.dispose()


DJANGO_MIGRATE = """
import sys

import django
from django.conf import settings

host, port, user, password, name = sys.argv[1:]
settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "HOST": host, "PORT": port,
                           "USER": user, "PASSWORD": password, "NAME": name}},
    INSTALLED_APPS=["crm"],
    USE_TZ=True,
)
django.setup()
from django.core.management import call_command

call_command("migrate", "crm", verbosity=0)
"""


def django_migrate(sandbox: Sandbox, root: Path) -> None:
    """`python manage.py migrate crm` for the app `crm` under `root`, in its own process."""
    parsed = parse_url(sandbox.url)
    args = [parsed.host, str(parsed.port), parsed.user, parsed.password, parsed.dbname]
    subprocess.run(
        [sys.executable, "-c", DJANGO_MIGRATE, *args], cwd=root, check=True, capture_output=True, text=True
    )


RAILS_MIGRATE = Path(__file__).parent / "rails" / "migrate.rb"


KNEX_MIGRATE = Path(__file__).parent / "knex" / "migrate.js"
NODE_MODULES = Path(__file__).parent.parent / ".tools" / "node_modules"


def _run_as_client(sandbox: Sandbox, command: list[str], **extra: str) -> None:
    """Run a migrate command with the sandbox's connection in the PG* variables."""
    parsed = parse_url(sandbox.url)
    env = {
        **os.environ,
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port),
        "PGUSER": parsed.user,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.dbname,
        **extra,
    }
    subprocess.run(command, env=env, check=True, capture_output=True, text=True)


def rails_migrate(sandbox: Sandbox, root: Path) -> None:
    """`bin/rails db:migrate` on `root/db/migrate`: ActiveRecord's migrator, in Ruby, in its own process."""
    _run_as_client(sandbox, ["ruby", str(RAILS_MIGRATE), str(root / "db" / "migrate")])


def knex_migrate(sandbox: Sandbox, root: Path, transactions: str = "batch") -> None:
    """`npx knex migrate:latest` on `root/migrations`: one transaction for the batch, or `each` its own."""
    command = ["node", str(KNEX_MIGRATE), str(root / "migrations"), transactions]
    _run_as_client(sandbox, command, NODE_PATH=str(NODE_MODULES))


def knex_migration(root: Path, name: str, up: str) -> Path:
    """migrations/<name>.js with `up` as the body of `exports.up = async (knex) => {...}`."""
    path = root / "migrations" / f"{name}.js"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = textwrap.indent(textwrap.dedent(up).strip(), "  ")
    path.write_text(f"exports.up = async (knex) => {{\n{body}\n}};\nexports.down = async () => {{}};\n")
    return path


def rails_migration(root: Path, version: str, name: str, body: str) -> Path:
    """db/migrate/<version>_<name>.rb: a class named after `name`, with `body` inside it."""
    path = root / "db" / "migrate" / f"{version}_{name}.rb"
    path.parent.mkdir(parents=True, exist_ok=True)
    klass = "".join(part.capitalize() for part in name.split("_"))
    inner = textwrap.indent(textwrap.dedent(body).strip(), "  ")
    path.write_text(f"class {klass} < ActiveRecord::Migration[6.1]\n{inner}\nend\n")
    return path


def django_migration(root: Path, name: str, body: str) -> Path:
    path = root / "crm" / "migrations" / f"{name}.py"
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
        for package in (root / "crm", path.parent):
            (package / "__init__.py").write_text("")
    path.write_text(textwrap.dedent(body).lstrip())
    return path


def alembic_revision(root: Path, revision: str, down: str | None, body: str) -> Path:
    path = root / "alembic" / "versions" / f"{revision}_migration.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = f"""
        from alembic import op
        import sqlalchemy as sa

        revision = {revision!r}
        down_revision = {down!r}


        def upgrade():
        """
    path.write_text(
        textwrap.dedent(header).lstrip() + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n"
    )
    return path


@pytest.fixture(scope="session")
def sandbox_role(pg_server: Server) -> Iterator[tuple[str, str]]:
    name, password = f"{pg_server.prefix}_ci", "ci-pw@:/% x"
    pg_server.execute(f"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD '{password}'")
    yield name, password
    pg_server.execute(f"DROP ROLE IF EXISTS {name}")


@pytest.fixture
def sandbox(empty_db: Database, sandbox_role: tuple[str, str]) -> Sandbox:
    name, password = sandbox_role
    server = empty_db.server
    return Sandbox(
        empty_db, Server(server.host, server.port, name, password, server.admin).url(empty_db.name)
    )
