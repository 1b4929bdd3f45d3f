TRUNCATE salesforce.contact;
ALTER TABLE salesforce.account ADD COLUMN note tex t;
ALTER TABLE salesforce.account DROP COLUMN industry;
CREAT INDEX x ON salesforce.account (name);
SELECT 'é' AS x; SELEC 1; DROP TABLE salesforce.contact;
INSERT INTO salesforce.account (name) VALUES ('unterminated);
DROP TABLE salesforce.account;
