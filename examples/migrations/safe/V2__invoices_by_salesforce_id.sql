-- The same need, done so that the Heroku Connect sync is safe: connect-gate passes this migration.
-- Invoices keep the Salesforce id of their account (stable across reloads) with no foreign key,
-- and the derived segment lives in a table of our own.
CREATE TABLE public.invoice (
    id           bigserial PRIMARY KEY,
    account_sfid varchar(18) NOT NULL,
    amount       numeric(12, 2) NOT NULL
);
CREATE INDEX invoice_account_sfid ON public.invoice (account_sfid);

CREATE TABLE public.account_segment (
    account_sfid varchar(18) PRIMARY KEY,
    segment      text NOT NULL
);
INSERT INTO public.account_segment (account_sfid, segment)
    SELECT sfid, 'Retail' FROM salesforce.account WHERE industry IS NULL;
