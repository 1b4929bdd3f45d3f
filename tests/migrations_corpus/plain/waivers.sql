-- connect-gate: ignore-file index-lost-on-reimport because indexes are re-created by scripts/reindex.sql
-- connect-gate: ignore write-to-read-write-mapping because one-off backfill agreed with the CRM team (OPS-812)
UPDATE salesforce.account SET industry = 'Retail' WHERE industry IS NULL;
TRUNCATE salesforce.contact; -- connect-gate: ignore truncate-mapped-table because the contact mapping is reloaded after deploy
CREATE INDEX account_name ON salesforce.account (name);
-- connect-gate: ignore truncate-mapped-table because this statement truncates nothing
CREATE TABLE public.note (id bigint);
-- connect-gate: ignore write-to-read-only-mapping
DELETE FROM salesforce.contact;
-- connect-gate: ignore truncate-maped-table because typo
-- connect-gate: skip everything
UPDATE salesforce.account
   SET name = 'x' -- connect-gate: ignore write-to-read-write-mapping, nullable-column-added because test fixture only
 WHERE sfid = 'a';
-- connect-gate: ignore-file connect-schema-removed because nothing drops the schema here
