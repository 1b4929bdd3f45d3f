// `npx knex migrate:latest` without a knexfile: Knex 3 and node-postgres (from npm, in .tools/) on
// the migrations in argv[2], against the database the PG* variables name. With argv[3] = "each",
// every migration commits on its own (`disableTransactions`), as a knexfile may ask.
const knex = require("knex")({
  client: "pg",
  connection: {
    host: process.env.PGHOST,
    port: Number(process.env.PGPORT),
    user: process.env.PGUSER,
    password: process.env.PGPASSWORD,
    database: process.env.PGDATABASE,
  },
  migrations: { directory: process.argv[2], disableTransactions: process.argv[3] === "each" },
});

knex.migrate
  .latest()
  .then(() => knex.destroy())
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
