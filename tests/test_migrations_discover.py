"""Finding the migration files: glob patterns, and only the files the pull request changed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from connect_gate.errors import InputError
from connect_gate.inputs import globs
from connect_gate.migrations.discover import DEFAULT_PATTERNS, discover


def write(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SELECT 1;\n", encoding="utf-8")


def git(root: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "HOME": str(root),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def relative(root: Path, patterns: tuple[str, ...], **kwargs: object) -> list[str]:
    files = discover(patterns, root, **kwargs).files  # type: ignore[arg-type]
    return [path.relative_to(root).as_posix() for path in files]


def test_default_patterns_cover_common_layouts_and_leave_out_down_and_undo_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        "src/main/resources/db/migration/V3__add_invoice.sql",
        "src/main/resources/db/migration/U3__add_invoice.sql",
        "prisma/migrations/20260101_init/migration.sql",
        "migrate/000001_init.up.sql",
        "migrate/000001_init.down.sql",
        "db/migrations/20260101_goose.sql",
        "schema/seed.sql",
        "node_modules/pkg/migrations/V1__x.sql",
    )
    assert relative(tmp_path, DEFAULT_PATTERNS) == [
        "db/migrations/20260101_goose.sql",
        "migrate/000001_init.up.sql",
        "prisma/migrations/20260101_init/migration.sql",
        "src/main/resources/db/migration/V3__add_invoice.sql",
    ]


def test_star_stays_in_one_folder_double_star_spans_folders_and_bang_excludes(tmp_path: Path) -> None:
    write(tmp_path, "sql/a.sql", "sql/deep/b.sql", "sql/deep/skip_c.sql")
    assert relative(tmp_path, ("sql/*.sql",)) == ["sql/a.sql"]
    assert relative(tmp_path, ("sql/**/*.sql", "!**/skip_*")) == ["sql/a.sql", "sql/deep/b.sql"]


def test_only_exclusions_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^migrations: !\*\*/x.sql: no pattern selects files"):
        discover(("!**/x.sql",), tmp_path)


def test_changed_only_keeps_the_files_the_pull_request_adds_or_changes(tmp_path: Path) -> None:
    write(tmp_path, "migrations/V1__old.sql", "migrations/V2__changed.sql", "migrations/V3__removed.sql")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    base = git(tmp_path, "rev-parse", "HEAD")
    (tmp_path / "migrations/V2__changed.sql").write_text("SELECT 2;\n", encoding="utf-8")
    (tmp_path / "migrations/V3__removed.sql").unlink()
    write(tmp_path, "migrations/V4__new.sql")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "pr")
    discovery = discover(("migrations/*.sql",), tmp_path, changed_only=True, base_sha=base)
    assert [p.name for p in discovery.files] == ["V2__changed.sql", "V4__new.sql"]
    assert discovery.notice == ""


def test_changed_only_falls_back_to_every_file_with_a_notice_when_the_base_is_missing(tmp_path: Path) -> None:
    write(tmp_path, "migrations/V1__a.sql")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "only commit")
    missing = "0123456789abcdef0123456789abcdef01234567"
    discovery = discover(("migrations/*.sql",), tmp_path, changed_only=True, base_sha=missing)
    assert [p.name for p in discovery.files] == ["V1__a.sql"]
    assert discovery.notice == (
        "changed-only: the base commit 0123456789ab is not in the checkout (shallow history?); set "
        "`fetch-depth: 0` (or 2 for the merge commit) on actions/checkout; analysing every migration file "
        "instead of only the changed ones."
    )


def test_changed_only_without_a_base_commit_analyses_every_file(tmp_path: Path) -> None:
    write(tmp_path, "migrations/V1__a.sql")
    discovery = discover(("migrations/*.sql",), tmp_path, changed_only=True, base_sha="")
    assert len(discovery.files) == 1
    assert discovery.notice == (
        "changed-only: no base commit (not a pull request event?); analysing every migration file instead "
        "of only the changed ones."
    )


def test_a_base_that_is_not_a_sha_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^changed-only: base commit '--output=x' is not a commit SHA$"):
        discover(("*.sql",), tmp_path, changed_only=True, base_sha="--output=x")


def test_the_migrations_input_takes_one_pattern_per_line_or_commas_and_defaults_when_empty() -> None:
    assert globs("db/**/*.sql\n  !db/seeds/** , sql/*.sql\n\n", "migrations") == (
        "db/**/*.sql",
        "!db/seeds/**",
        "sql/*.sql",
    )
    assert globs("  \n", "migrations") == DEFAULT_PATTERNS


def test_an_absolute_pattern_inside_the_repository_works_and_one_outside_is_an_input_error(
    tmp_path: Path,
) -> None:
    write(tmp_path, "db/migrations/V1__a.sql")
    assert relative(tmp_path, (f"{tmp_path}/db/**/*.sql",)) == ["db/migrations/V1__a.sql"]
    with pytest.raises(InputError, match=r"^migrations: /etc/\*: the pattern is outside the repository"):
        discover(("/etc/*",), tmp_path)
    with pytest.raises(InputError, match=r"^migrations: db/\.\./\.\./\*\.sql: `\.\.` leaves the repository"):
        discover(("db/../../*.sql",), tmp_path)


def test_a_given_pattern_that_matches_no_file_at_all_is_named(tmp_path: Path) -> None:
    write(tmp_path, "db/V1__a.sql")
    discovery = discover(("db/*.sql", "sql/**/*.sql", "!db/skip.sql"), tmp_path)
    assert [path.name for path in discovery.files] == ["V1__a.sql"]
    assert discovery.unmatched == ("sql/**/*.sql",)
    assert (
        discover(DEFAULT_PATTERNS, tmp_path).unmatched == ()
    )  # the defaults cover layouts a repository may not use


def test_double_star_inside_a_name_is_a_single_star_and_a_star_folder_is_one_folder(tmp_path: Path) -> None:
    write(tmp_path, "a/b/c.sql", "a/c.sql")
    assert relative(tmp_path, ("a/**.sql",)) == ["a/c.sql"]
    assert relative(tmp_path, ("*/*/c.sql",)) == ["a/b/c.sql"]
    assert relative(tmp_path, ("**/c.sql",)) == ["a/b/c.sql", "a/c.sql"]


def test_a_pattern_with_many_double_stars_does_not_backtrack_exponentially(tmp_path: Path) -> None:
    write(tmp_path, "a" * 60 + "/" + "a" * 200 + ".sql")
    # A regular expression took minutes on this; the wildcard algorithm is proportional to path x pattern.
    assert relative(tmp_path, ("**a" * 40 + "b",)) == []
    assert relative(tmp_path, ("**/" + "*a" * 40 + "*.sql",)) == ["a" * 60 + "/" + "a" * 200 + ".sql"]
