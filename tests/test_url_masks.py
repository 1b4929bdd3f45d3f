"""What the job log masks for a database URL: the URL and its password, never its public parts."""

from __future__ import annotations

from connect_gate.database.url import url_secrets
from connect_gate.settings import Secret, Settings, secret_values


def test_only_the_password_is_masked_in_each_spelling() -> None:
    url = "postgres://ci_user:s3cr%40t@db.internal:5432/app_test"

    assert url_secrets(url) == [url, "s3cr%40t", "s3cr@t"]


def test_a_password_spelled_like_a_public_part_of_the_url_is_not_masked() -> None:
    # The postgres service container's usual URL: masking "postgres" would hide it all over the log
    url = "postgres://postgres:postgres@postgres:5432/app_test"
    assert url_secrets(url) == [url]
    assert url_secrets("postgres://ci:app_test@localhost/app_test") == [
        "postgres://ci:app_test@localhost/app_test"
    ]
    assert url_secrets("postgres://postgres@localhost/app_test") == ["postgres://postgres@localhost/app_test"]


def test_the_settings_mask_the_sandbox_and_database_urls_passwords_only() -> None:
    sandbox = "postgres://postgres:postgres@postgres:5432/app_test"
    database = "postgres://reader:hunter2@db.example.com:5432/review"
    settings = Settings(sandbox_url=Secret(sandbox), database_url=Secret(database))

    assert sorted(secret_values(settings)) == sorted([sandbox, database, "hunter2"])
