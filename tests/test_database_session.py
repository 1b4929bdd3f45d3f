"""The gate's database sessions: read-only, bounded, and never showing the password."""

from __future__ import annotations

import traceback
from urllib.parse import quote

import psycopg2
import pytest
from conftest_pg import EXAMPLE_EXPORT, Database

from connect_gate.database.connection import DatabaseError, SessionLimits, open_session
from connect_gate.database.run import run_database_checks
from connect_gate.database.url import parse_url, redact, with_tls
from connect_gate.errors import InputError, ServiceError
from connect_gate.mapping_config import MappingConfig
from connect_gate.seed_cli import seed_main

WRONG_PASSWORD = "Wr0ng-p@ss:w/rd%zz"


def everything_shown(exc: BaseException) -> str:
    """All a user could see of an exception: its text, repr, and a full traceback with its chain."""
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])


def test_the_session_is_read_only_bounded_and_named(seeded_db: Database) -> None:
    session = open_session(parse_url(seeded_db.url))
    settings = session.query(
        "SELECT current_setting('default_transaction_read_only'), current_setting('transaction_read_only'),"
        " current_setting('statement_timeout'), current_setting('lock_timeout'),"
        " current_setting('application_name')"
    )
    assert settings == [("on", "on", "30s", "2s", "connect-gate")]
    assert session.statements == 1


@pytest.mark.parametrize(
    "write",
    [
        "INSERT INTO salesforce.account (name) VALUES ('written by a check')",
        "CREATE TABLE salesforce.scratch (id integer)",
        "SELECT nextval('salesforce._trigger_log_id_seq')",
    ],
)
def test_a_check_that_tried_to_write_would_fail(seeded_db: Database, write: str) -> None:
    session = open_session(parse_url(seeded_db.url))

    with pytest.raises(DatabaseError, match="read-only transaction"):
        session.query(write)


def test_a_slow_statement_is_cancelled(seeded_db: Database) -> None:
    session = open_session(parse_url(seeded_db.url), SessionLimits(statement_timeout_ms=50))

    with pytest.raises(DatabaseError, match="canceling statement due to statement timeout"):
        session.query("SELECT pg_sleep(5)")


def test_a_wrong_password_is_reported_without_any_password(
    seeded_db: Database, example_config: MappingConfig
) -> None:
    url = seeded_db.server.url(seeded_db.name, password=WRONG_PASSWORD)

    with pytest.raises(ServiceError) as raised:
        run_database_checks(url, example_config)

    shown = everything_shown(raised.value)
    server = seeded_db.server
    assert str(raised.value).startswith(
        f"cannot connect to the database at postgresql://{server.user}:***@127.0.0.1:{server.port}/{seeded_db.name}: "
    )
    for secret in (WRONG_PASSWORD, "Wr0ng", server.password, server.password[:11]):
        assert secret not in shown


def test_libpq_echoes_a_malformed_url_but_we_never_hand_it_one(seeded_db: Database) -> None:
    server = seeded_db.server
    raw = f"postgresql://{server.user}:Wr0ng%zz@127.0.0.1:{server.port}/{seeded_db.name}"
    with pytest.raises(psycopg2.Error) as direct:
        psycopg2.connect(raw)
    assert "Wr0ng" in str(direct.value)  # the threat is real: libpq quotes the bad token

    with pytest.raises(ServiceError) as ours:
        open_session(parse_url(raw))
    assert "Wr0ng" not in everything_shown(ours.value)


def test_an_unencoded_at_sign_in_the_password_never_leaks(seeded_db: Database) -> None:
    server = seeded_db.server
    raw = f"postgresql://{server.user}:Wr0ng@secret@127.0.0.1:{server.port}/{seeded_db.name}"

    with pytest.raises(ServiceError) as raised:
        open_session(parse_url(raw))

    assert "Wr0ng" not in everything_shown(raised.value)
    assert "secret" not in everything_shown(raised.value)


def test_an_unreachable_database(seeded_db: Database) -> None:
    with pytest.raises(ServiceError) as raised:
        open_session(parse_url(f"postgres://someone:{quote(WRONG_PASSWORD, safe='')}@127.0.0.1:1/db"))

    assert str(raised.value).startswith(
        "cannot connect to the database at postgres://someone:***@127.0.0.1:1/db: "
    )
    assert "Connection refused" in str(raised.value)
    assert "Wr0ng" not in everything_shown(raised.value)


def test_seed_output_never_shows_the_password(
    seeded_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    good = seed_main(["--mapping-config", str(EXAMPLE_EXPORT), "--database-url", seeded_db.url])
    wrong = seed_main(
        [
            "--mapping-config",
            str(EXAMPLE_EXPORT),
            "--database-url",
            seeded_db.server.url(seeded_db.name, password=WRONG_PASSWORD),
        ]
    )

    out, err = capsys.readouterr()
    assert (good, wrong) == (2, 3)
    assert "already holds tables" in err
    assert (
        f"connect-gate seed: cannot connect to the database at postgresql://{seeded_db.server.user}:***@"
        in err
    )
    for secret in ("Wr0ng", seeded_db.server.password[:11]):
        assert secret not in out + err


def test_a_malformed_port_names_the_input_not_the_password() -> None:
    with pytest.raises(InputError) as raised:
        parse_url(f"postgresql://gate:{WRONG_PASSWORD}@127.0.0.1:notaport/db")

    assert (
        str(raised.value)
        == "database-url: postgresql://gate:***@127.0.0.1:notaport/db is not a valid URL (check the port)"
    )


def test_a_url_that_is_not_postgres() -> None:
    with pytest.raises(InputError) as raised:
        parse_url("mysql://root:hunter2@db.example.com/app")

    assert str(raised.value) == (
        "database-url: expected postgres://user:password@host:port/dbname, got mysql://root:***@db.example.com/app"
    )


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgres://u:p%40ss@h:5432/d", "postgres://u:***@h:5432/d"),
        ("postgres://u:p@ss@h/d?sslmode=require", "postgres://u:***@h/d?sslmode=require"),
        (
            "postgres://u@h/d?password=hunter2&sslmode=require",
            "postgres://u@h/d?password=***&sslmode=require",
        ),
        ("postgres://h/d", "postgres://h/d"),
    ],
)
def test_redact(url: str, shown: str) -> None:
    assert redact(url) == shown
    parsed = parse_url(url)
    assert str(parsed) == shown and "p@ss" not in repr(parsed) and "hunter2" not in repr(parsed)


def test_tls_is_required_for_a_remote_host() -> None:
    remote = with_tls(
        parse_url("postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d"), require_tls=True
    )

    assert remote.keywords()["sslmode"] == "require"
    assert "sslmode" not in with_tls(parse_url("postgres://u:p@localhost/d"), require_tls=True).keywords()
    assert "sslmode" not in with_tls(parse_url("postgres://u:p@db.internal/d"), require_tls=False).keywords()
    verified = with_tls(parse_url("postgres://u:p@db.internal/d?sslmode=verify-full"), require_tls=True)
    assert verified.keywords()["sslmode"] == "verify-full"


def test_a_remote_url_asking_for_no_tls_is_refused_unless_the_user_opts_out() -> None:
    url = parse_url("postgres://u:secret@db.internal/d?sslmode=disable")

    with pytest.raises(InputError) as raised:
        with_tls(url, require_tls=True)

    assert str(raised.value) == (
        "database-url: postgres://u:***@db.internal/d?sslmode=disable asks for sslmode=disable on the non-local "
        "host db.internal; remove it, or turn database-tls off to connect without TLS"
    )
    assert with_tls(url, require_tls=False).keywords()["sslmode"] == "disable"


def test_sslmode_reaches_libpq(seeded_db: Database) -> None:
    server = seeded_db.server  # the test server has no TLS: a required TLS session must be refused
    url = parse_url(f"{server.url(seeded_db.name)}?sslmode=require")

    with pytest.raises(ServiceError, match="server does not support SSL, but SSL was required"):
        open_session(with_tls(url, require_tls=True))
