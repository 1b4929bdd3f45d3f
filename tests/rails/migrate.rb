# `rails db:migrate` without an application: ActiveRecord's own migrator (Debian's ruby-activerecord
# and ruby-pg) on the migrations in ARGV[0], against the database the PG* variables name.
require "active_record"

ActiveRecord::Base.establish_connection(
  adapter: "postgresql",
  host: ENV.fetch("PGHOST"),
  port: ENV.fetch("PGPORT"),
  username: ENV.fetch("PGUSER"),
  password: ENV.fetch("PGPASSWORD"),
  database: ENV.fetch("PGDATABASE"),
)
ActiveRecord::Migration.verbose = false
ActiveRecord::MigrationContext.new(ARGV.fetch(0), ActiveRecord::SchemaMigration).migrate
