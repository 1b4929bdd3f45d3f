"""Heroku Connect-aware analysis of SQL migration files.

- `connect_gate.migrations.discover.discover()` finds the migration files (globs, changed-only).
- `connect_gate.migrations.analyse.analyse_files()` / `analyse_sql()` turn them into Findings.

The rules themselves live in `checks/migrations/`, one module each.
"""
