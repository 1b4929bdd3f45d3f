"""Tracing a recorded statement to the migration file that holds its text (no database needed)."""

from __future__ import annotations

from connect_gate.checks import own_checks, source_of
from connect_gate.checks.sandbox import CHECKS as SANDBOX_CHECKS
from connect_gate.findings import Source, Status
from connect_gate.sandbox.place import quote
from connect_gate.sandbox.trace import MigrationFile, Placement, locate, source_line

RUBY = MigrationFile.of(
    "db/migrate/20261120091500_backfill.rb",
    """class Backfill < ActiveRecord::Migration[7.1]
  def up
    execute <<~SQL
      UPDATE salesforce.account

         SET industry = 'Retail'
    SQL
  end
end
""",
)


def test_a_heredoc_is_found_line_by_line_whatever_its_indentation() -> None:
    # Ruby's <<~ strips the indentation; the blank line stays in the text sent
    placement = locate("UPDATE salesforce.account\n\n   SET industry = 'Retail'\n", [RUBY])

    assert placement == Placement(RUBY.path, ((4, 6), (6, 6), (6, 6)))
    assert placement.line(1) == (4, 6)  # the statement's line 1, column c is the file's line 4, column c + 6
    assert placement.line(99) == (6, 6)


def test_one_line_of_sql_inside_a_string_is_found_where_it_starts() -> None:
    python = MigrationFile.of(
        "crm/migrations/0002_backfill.py",
        "operations = [\n    migrations.RunSQL(\"UPDATE salesforce.account SET industry = 'Retail'\"),\n]\n",
    )

    assert locate("UPDATE salesforce.account SET industry = 'Retail'", [RUBY, python]) == Placement(
        python.path, ((2, 23),)
    )


def test_text_that_is_not_in_a_file_or_too_short_to_tell_is_not_placed() -> None:
    assert locate("UPDATE salesforce.account SET industry = 'Other'", [RUBY]) is None
    assert locate("UPDATE salesforce.account\nSET name = 'x'", [RUBY]) is None  # the second line differs
    short = MigrationFile.of("x.sql", "COMMIT;\n")
    assert locate("COMMIT;", [short]) is None
    assert locate("", [short]) is None


def test_a_quoted_statement_is_one_line_and_cut() -> None:
    assert quote("  ALTER TABLE a\n\tADD COLUMN b int  ") == "ALTER TABLE a ADD COLUMN b int"
    long = quote("SELECT " + "x, " * 200)
    assert len(long) == 300 and long.endswith(", x…")


def test_the_sandbox_check_is_registered_and_documented() -> None:
    check, altered = [c.info for c in SANDBOX_CHECKS]
    assert own_checks()[check.id] is check and own_checks()[altered.id] is altered
    assert (check.id, check.title, check.source, check.status) == (
        "rows-queued-for-salesforce",
        "Rows queued for Salesforce",
        Source.DATABASE,
        Status.RED,
    )
    assert (altered.id, altered.source, altered.status) == (
        "mapped-table-altered",
        Source.MIGRATIONS,
        Status.YELLOW,
    )
    assert all("Bad" in c.doc and "Good" in c.doc for c in (check, altered))
    assert source_of("Rows queued for Salesforce") is Source.DATABASE


def test_the_line_of_the_call_is_read_from_rails_query_log_tags() -> None:
    migration = "db/migrate/20261201000000_mark_tbd.rb"
    sqlcommenter = (
        'UPDATE "salesforce"."account" SET "industry" = \'TBD\' '
        "/*application='Crm',source_location='db%2Fmigrate%2F20261201000000_mark_tbd.rb%3A5%3Ain%20%60up%27'*/"
    )
    legacy = f'UPDATE "salesforce"."account" SET "industry" = \'TBD\' /*source_location:/app/{migration}:7*/'

    assert source_line(sqlcommenter, migration) == 5
    assert source_line(legacy, migration) == 7
    assert source_line(sqlcommenter, "db/migrate/20261101000000_mark_unknown.rb") is None  # another file
    assert source_line("UPDATE salesforce.account SET industry = 'TBD'", migration) is None
    assert (
        source_line("SELECT 1 /*source_location:app/models/account.rb:x*/", "app/models/account.rb") is None
    )
