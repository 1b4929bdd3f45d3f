"""Sources of findings: Heroku's diagnostics, the database, the migration files."""
