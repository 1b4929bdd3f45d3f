"""The sandbox with real Knex 3 migrations (npm: knex, pg; installed into .tools/ by the Makefile).

Harmless migrations pass. The risky ones are found: with each migration in its own transaction,
attributed to their files through `knex_migrations` (a new migration repeating an old one's
statement, a loop over the seeded rows, a DO block, a foreign key); with Knex's default of one
transaction for the batch, nothing tells the migrations apart, so what `knex.raw` wrote is placed by
its text and the rest is quoted, and kept by `changed-only`.
"""

from __future__ import annotations

from pathlib import Path

from conftest_sandbox import Sandbox, knex_migrate, knex_migration

from connect_gate.findings import Location, Scope, ScopeKind, Source, Status
from connect_gate.mapping_config import MappingConfig
from connect_gate.sandbox.judge import check_sandbox


def risky(root: Path) -> dict[str, Path]:
    return {
        "old": knex_migration(
            root,
            "20261101000000_mark_unknown",
            "await knex('salesforce.account').update({ industry: 'N/A' });",
        ),
        "new": knex_migration(
            root, "20261201000000_mark_tbd", "await knex('salesforce.account').update({ industry: 'TBD' });"
        ),
        "loop": knex_migration(
            root,
            "20261202000000_resave",
            """
            for (const { id, name } of await knex('salesforce.account').select('id', 'name')) {
              await knex('salesforce.account').where({ id }).update({ name: name + ' (checked)' });
            }
            """,
        ),
        "block": knex_migration(
            root,
            "20261203000000_through_a_block",
            """
            await knex.raw(`
            DO $$
            BEGIN
              DELETE FROM salesforce.contact WHERE email IS NULL;
            END $$;`);
            """,
        ),
        "link": knex_migration(
            root,
            "20261204000000_link_invoices",
            """
            await knex.schema.createTable('invoices', (table) => {
              table.increments('id');
              table.integer('account_id').references('id').inTable('salesforce.account');
            });
            """,
        ),
    }


def test_harmless_knex_migrations_pass(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    knex_migration(
        tmp_path,
        "20261101000000_create_invoices",
        """
        await knex.schema.createTable('invoices', (table) => {
          table.increments('id');
          table.string('account_sfid', 18).index();
        });
        await knex('salesforce.account').count();
        """,
    )
    knex_migrate(sandbox, tmp_path)

    result = check_sandbox(sandbox.url, example_config, tmp_path, ())

    assert {f.status for f in result.findings} == {Status.GREEN}


def test_knex_migrations_in_their_own_transactions_are_attributed_to_their_files(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    files = risky(tmp_path)
    knex_migrate(sandbox, tmp_path, "each")

    def where(name: str, line: int = 1) -> str:
        return str(Location(str(files[name].relative_to(tmp_path)), line))

    everything = check_sandbox(sandbox.url, example_config, tmp_path, ())
    changed = check_sandbox(
        sandbox.url,
        example_config,
        tmp_path,
        (),
        changed={str(files[n].relative_to(tmp_path)) for n in ("new", "loop", "block", "link")},
    )

    found = sorted(
        (f.check_id, str(f.location)) for f in everything.findings if f.source is Source.MIGRATIONS
    )
    assert found == sorted(
        [
            ("write-to-read-write-mapping", where("old")),
            ("write-to-read-write-mapping", where("new")),
            ("write-to-read-write-mapping", where("loop")),
            (
                "write-to-read-only-mapping",
                str(Location(str(files["block"].relative_to(tmp_path)), 3, 3, 3, 7)),
            ),
            ("foreign-key-added-to-mapped-table", where("link")),
        ]
    )
    kept = {str(f.location) for f in changed.findings if f.source is Source.MIGRATIONS}
    assert where("old") not in kept and where("new") in kept and len(kept) == 4
    [queued] = [f for f in everything.findings if f.check_id == "rows-queued-for-salesforce"]
    assert "to 3 row(s)" in queued.message


def test_knex_migrations_in_one_transaction_are_not_attributed_and_not_left_out(
    sandbox: Sandbox, example_config: MappingConfig, tmp_path: Path
) -> None:
    sandbox.seed("--record")
    files = risky(tmp_path)
    knex_migrate(sandbox, tmp_path)

    result = check_sandbox(sandbox.url, example_config, tmp_path, (), changed={"migrations/other.js"})

    found = sorted(
        (f.check_id, f.scope, f.location is not None)
        for f in result.findings
        if f.source is Source.MIGRATIONS
    )
    sandbox_scope = Scope(ScopeKind.DATABASE, "sandbox")
    assert found == sorted(
        [
            # the two migrations' UPDATE is one text (Knex binds the value), judged once: nothing says
            # which migration ran it; the loop's UPDATE is another
            ("write-to-read-write-mapping", sandbox_scope, False),
            ("write-to-read-write-mapping", sandbox_scope, False),
            ("foreign-key-added-to-mapped-table", sandbox_scope, False),
            # knex.raw's text is in the file: placed there, and left out as unchanged
        ]
    )
    assert result.note.endswith("; 1 finding(s) in migration files the pull request did not change left out")
    assert files["block"].exists()
