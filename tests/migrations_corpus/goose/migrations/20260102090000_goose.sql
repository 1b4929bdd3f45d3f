-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();  -- a semicolon inside the body
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER touch BEFORE UPDATE ON salesforce.account FOR EACH ROW EXECUTE FUNCTION app.touch();

-- +goose Down
DROP TABLE salesforce.account;
DROP SCHEMA salesforce CASCADE;
