/* Several statements per line, comments before statements,
   and non-ASCII text (données, ñandú, 東京) before flagged statements. */
SELECT 1; TRUNCATE salesforce.contact; SELECT 2;
-- Réglage: 東京
SELECT 'ñandú'; /* é */ UPDATE salesforce.account SET name = 'Zoë' WHERE sfid = 'x'; DELETE FROM salesforce.contact;
  -- indented comment
  /* block */ -- and a line comment
  DROP TABLE salesforce.invoice__c;
