\set ON_ERROR_STOP on
\connect app
BEGIN;
  \echo 'moving data'
UPDATE salesforce.contact SET email = NULL;
\i other.sql
COMMIT;
