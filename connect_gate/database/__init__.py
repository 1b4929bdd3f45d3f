"""The review app's database: read-only sessions, a catalog snapshot, and seeding a Connect schema.

Entry points: `connect_gate.database.run.run_database_checks`, `connect_gate.database.seed.seed`,
`connect_gate.seed_cli.seed_main`. (Not re-exported here: the checks import this package.)
"""
