-- migrate:up
ALTER TABLE salesforce.invoice__c RENAME COLUMN amount__c TO amount;
ALTER TABLE salesforce.invoice__c ALTER COLUMN account__c TYPE text, DROP COLUMN note;

-- migrate:down
ALTER TABLE salesforce.invoice__c RENAME COLUMN amount TO amount__c;
