DO $$
BEGIN
    -- semicolons inside: ; ; ;
    PERFORM 1;
END
$$;
DO $body$ BEGIN UPDATE salesforce.account SET name = 'x'; END $body$ LANGUAGE plpgsql;
CREATE FUNCTION app.noop() RETURNS void LANGUAGE sql AS $f$ SELECT 1; $f$;
CREATE FUNCTION app.fix() RETURNS void LANGUAGE sql AS 'DELETE FROM salesforce.contact';
SELECT $tag$ TRUNCATE salesforce.account; $tag$; TRUNCATE salesforce.account;
