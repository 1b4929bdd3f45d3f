-- Foreign keys into mapped tables, in every form, and look-alikes that are not mapped.
CREATE TABLE public.payment (
    id bigserial PRIMARY KEY,
    account_id integer REFERENCES salesforce.account,
    invoice_sfid varchar(18),
    CONSTRAINT payment_invoice FOREIGN KEY (invoice_sfid) REFERENCES salesforce.invoice__c (sfid)
);
ALTER TABLE public.payment ADD CONSTRAINT payment_contact
    FOREIGN KEY (contact_sfid) REFERENCES SALESFORCE.Contact (sfid) NOT VALID;
ALTER TABLE public.payment ADD COLUMN owner_id integer REFERENCES salesforce.account (id);
-- Not mapped: same table name in another schema, and a quoted name that is not the folded one.
ALTER TABLE public.payment ADD CONSTRAINT p1 FOREIGN KEY (a) REFERENCES public.account (id);
ALTER TABLE public.payment ADD CONSTRAINT p2 FOREIGN KEY (a) REFERENCES salesforce."Account" (sfid);
ALTER TABLE public.payment ADD CONSTRAINT p3 FOREIGN KEY (a) REFERENCES "salesforce"."account" (sfid);
