"""What `view-over-mapped-table` claims, on the real PostgreSQL 15: a view over a mapped table
makes the changes Heroku Connect makes to that table fail."""

from __future__ import annotations

import psycopg2
import pytest
from conftest_pg import Database

from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.analyse import analyse_sql

VIEWS = (
    "CREATE VIEW public.account_names AS SELECT sfid, name, industry FROM salesforce.account;",
    "CREATE MATERIALIZED VIEW public.account_industries AS SELECT sfid, name, industry FROM salesforce.account;",
)
CONNECT_CHANGES = {
    "ALTER TABLE salesforce.account ALTER COLUMN name TYPE varchar(512)": "cannot alter type of a column used by a view",
    "ALTER TABLE salesforce.account DROP COLUMN industry": "other objects depend on it",
    "DROP TABLE salesforce.account": "other objects depend on it",
}


@pytest.mark.parametrize("view", VIEWS)
def test_a_view_over_a_mapped_table_blocks_connects_own_changes_and_is_reported(
    seeded_db: Database, example_config: MappingConfig, view: str
) -> None:
    seeded_db.execute(view)
    for change, error in CONNECT_CHANGES.items():
        with pytest.raises(psycopg2.Error, match=error):
            seeded_db.execute(change)
    found = [f.check_id for f in analyse_sql(view, "V1__view.sql", example_config).findings]
    assert found == ["view-over-mapped-table"]


def test_without_the_view_the_same_changes_succeed(seeded_db: Database) -> None:
    for change in CONNECT_CHANGES:
        seeded_db.execute(change)
