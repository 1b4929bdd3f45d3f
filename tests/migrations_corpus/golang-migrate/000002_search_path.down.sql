DROP TABLE salesforce.account;
