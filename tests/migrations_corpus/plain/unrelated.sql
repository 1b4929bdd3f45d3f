-- Nothing here touches what Heroku Connect owns: no finding at all.
CREATE SCHEMA app;
CREATE TABLE app.account (id bigserial PRIMARY KEY, name text NOT NULL);
ALTER TABLE app.account ADD CONSTRAINT name_len CHECK (length(name) > 0);
CREATE TABLE account (id int);
DROP TABLE account;
TRUNCATE app.contact;
UPDATE public.account SET name = 'x';
CREATE INDEX ON app.account (name);
ALTER TABLE account ADD COLUMN x int NOT NULL;
DO $$ BEGIN PERFORM 1; END $$;
SELECT * FROM salesforce.account JOIN salesforce.contact ON contact.accountid = account.sfid;
CREATE VIEW app.accounts AS SELECT id, name FROM app.account;
