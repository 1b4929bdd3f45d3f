"""The sandbox with real Rails migrations: ActiveRecord 6.1 from Debian (ruby-activerecord, ruby-pg).

Harmless migrations pass; the risky ones are found and attributed to their files through
`schema_migrations`: a new migration repeating an old one's statement, a loop over the seeded rows
(one prepared statement for every row), SQL in a DO block, a foreign key into a mapped table.
"""

from __future__ import annotations

from pathlib import Path

from conftest_sandbox import Sandbox, rails_migrate, rails_migration

from connect_gate.findings import Location, Source, Status
from connect_gate.mapping_config import MappingConfig
from connect_gate.sandbox.judge import check_sandbox

ACCOUNT = """
class Account < ActiveRecord::Base
  self.table_name = "salesforce.account"
end
"""


def test_harmless_rails_migrations_pass(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    rails_migration(
        tmp_path,
        "20261101000000",
        "create_invoices",
        """
        def change
          create_table :invoices do |t|
            t.string :account_sfid, limit: 18, index: true
            t.decimal :total
          end
        end
        """,
    )
    rails_migration(
        tmp_path,
        "20261102000000",
        "count_accounts",
        ACCOUNT + "\ndef up\n  say Account.count.to_s\nend\n",
    )
    rails_migrate(sandbox, tmp_path)

    result = check_sandbox(sandbox.url, example_config, tmp_path, ())

    assert {f.status for f in result.findings} == {Status.GREEN}


def test_risky_rails_migrations_are_found_in_the_migration_that_ran_them(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    old = rails_migration(
        tmp_path,
        "20261101000000",
        "mark_unknown",
        ACCOUNT + "\ndef up\n  Account.update_all(industry: 'N/A')\nend\n",
    )
    new = rails_migration(
        tmp_path,
        "20261201000000",
        "mark_tbd",
        ACCOUNT + "\ndef up\n  Account.update_all(industry: 'TBD')\nend\n",
    )
    resave = rails_migration(
        tmp_path,
        "20261202000000",
        "resave_accounts",
        ACCOUNT + "\ndef up\n  Account.find_each { |a| a.update!(name: a.name + ' (checked)') }\nend\n",
    )
    block = rails_migration(
        tmp_path,
        "20261203000000",
        "through_a_block",
        """
        def up
          execute <<~SQL
            DO $$
            BEGIN
              DELETE FROM salesforce.contact WHERE email IS NULL;
            END $$;
          SQL
        end
        """,
    )
    link = rails_migration(
        tmp_path,
        "20261204000000",
        "link_invoices",
        """
        def change
          create_table :invoices do |t|
            t.integer :account_id
          end
          add_foreign_key :invoices, "salesforce.account", column: :account_id
        end
        """,
    )
    rails_migrate(sandbox, tmp_path)
    files = {str(path.relative_to(tmp_path)) for path in (new, resave, block, link)}

    everything = check_sandbox(sandbox.url, example_config, tmp_path, ())
    changed = check_sandbox(sandbox.url, example_config, tmp_path, (), changed=files)

    def where(path: Path, line: int = 1) -> Location:
        return Location(str(path.relative_to(tmp_path)), line)

    found = [(f.check_id, f.status, f.location) for f in everything.findings if f.source is Source.MIGRATIONS]
    assert sorted(found, key=lambda item: str(item[2])) == sorted(
        [
            ("write-to-read-write-mapping", Status.RED, where(old)),
            ("write-to-read-write-mapping", Status.RED, where(new)),
            ("write-to-read-write-mapping", Status.RED, where(resave)),
            # the DO block is placed at its line in the heredoc; the DELETE inside it is what it did
            (
                "write-to-read-only-mapping",
                Status.YELLOW,
                Location(str(block.relative_to(tmp_path)), 4, 7, 4, 11),
            ),
            ("foreign-key-added-to-mapped-table", Status.RED, where(link)),
        ],
        key=lambda item: str(item[2]),
    )
    kept = [f.location for f in changed.findings if f.source is Source.MIGRATIONS]
    assert where(old) not in kept and where(new) in kept and len(kept) == 4
    [queued] = [f for f in everything.findings if f.check_id == "rows-queued-for-salesforce"]
    assert "to 3 row(s)" in queued.message  # the seeded rows, written by every migration above
