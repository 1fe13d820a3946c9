-- The money trail (issue 23): payments from CODA statements too, numbered credit notes with
-- their lines, the ledger of money paid back, the organisation's VAT status, and the Peppol
-- e-invoices stored as issued.
-- Keep in lock-step with ../sqlite/20261205120000_money_trail.sql.

-- The payment table is rebuilt to accept 'coda' and to keep the payer's account (a refund
-- goes back to it), as SQLite must rebuild it: both engines keep the same steps.
create table payment_new (
    payment_id text primary key,            -- UUIDv7
    source text not null check (source in ('manual', 'camt053', 'coda')),
    bank_reference text unique,
    statement_id text,
    invoice_id text references invoice (invoice_id),  -- null while unmatched
    amount_cents bigint not null check (amount_cents > 0),
    currency text not null,
    communication text,
    debtor_name text,
    booked_on text not null,                -- YYYY-MM-DD: the value date
    outcome text not null check (outcome in ('matched', 'partial', 'excess', 'unmatched')),
    resolved_at timestamptz,
    recorded_by text references person (person_id),
    created_at timestamptz not null,
    debtor_iban text
);
insert into payment_new (payment_id, source, bank_reference, statement_id, invoice_id, amount_cents, currency,
    communication, debtor_name, booked_on, outcome, resolved_at, recorded_by, created_at)
    select payment_id, source, bank_reference, statement_id, invoice_id, amount_cents, currency,
    communication, debtor_name, booked_on, outcome, resolved_at, recorded_by, created_at from payment;
drop table payment;
alter table payment_new rename to payment;
create index payment_invoice_idx on payment (invoice_id);
create index payment_outcome_idx on payment (outcome, created_at);

-- Credit notes ("notes de crédit") get their own gap-free numbering per year, the day they
-- were issued and why: a cancellation (of lines or of the order) or an accepted refund.
create table credit_note_counter (
    year integer primary key,
    last_number integer not null
);
alter table credit_note add column year integer;
alter table credit_note add column number integer;
alter table credit_note add column issued_on text;            -- YYYY-MM-DD
alter table credit_note add column kind text not null default 'cancellation' check (kind in ('cancellation', 'refund'));
-- Those issued before numbering existed are numbered in the order they were made.
update credit_note set year = extract(year from created_at at time zone 'Europe/Brussels')::integer,
    issued_on = to_char(created_at at time zone 'Europe/Brussels', 'YYYY-MM-DD');
update credit_note set number = numbered.n from (
    select credit_note_id, row_number() over (partition by year order by created_at, credit_note_id) as n
    from credit_note) numbered
where numbered.credit_note_id = credit_note.credit_note_id;
insert into credit_note_counter (year, last_number) select year, max(number) from credit_note group by year;
create unique index credit_note_number_idx on credit_note (year, number);

-- The lines a credit note credits, copied as the invoice printed them.
create table credit_note_line (
    credit_note_id text not null references credit_note (credit_note_id),
    position integer not null,
    product_name text not null,
    quantity integer not null,
    unit_fee_cents bigint not null,
    net_cents bigint not null,
    primary key (credit_note_id, position)
);

-- Money paid back by transfer, as staff made it: for an invoice (a credit note or an
-- overpayment) or for a payment that matched no invoice.
create table refund (
    refund_id text primary key,             -- UUIDv7
    invoice_id text references invoice (invoice_id),
    payment_id text references payment (payment_id),
    amount_cents bigint not null check (amount_cents > 0),
    iban text not null,
    paid_on text not null,                  -- YYYY-MM-DD
    note text not null default '',
    recorded_by text not null references person (person_id),
    created_at timestamptz not null,
    check (invoice_id is not null or payment_id is not null)
);
create index refund_invoice_idx on refund (invoice_id);
create index refund_payment_idx on refund (payment_id);

-- The organisation's VAT status decides the VAT of its fee and whether it receives Peppol
-- e-invoices: none (no VAT number), exempt (art. 44), franchise, taxable, mixed.
alter table organisation add column vat_status text not null default 'none'
    check (vat_status in ('none', 'exempt', 'franchise', 'taxable', 'mixed'));
alter table organisation add column vat_number text;          -- BE0123456749 / LU12345678

-- What the invoice applied, copied at issue like the customer's address.
alter table invoice add column customer_vat_status text not null default 'none';
alter table invoice add column customer_vat_number text;
alter table invoice add column vat_category text not null default 'S' check (vat_category in ('S', 'E', 'AE'));

-- Peppol BIS Billing 3.0 documents (UBL 2.1), stored as issued and never regenerated; kept
-- ten years (VAT code art. 60). sent_at: handed to the access point (the sender seam).
create table e_document (
    e_document_id text primary key,         -- UUIDv7
    invoice_id text references invoice (invoice_id),
    credit_note_id text references credit_note (credit_note_id),
    number text not null,
    issued_on text not null,                -- YYYY-MM-DD
    xml text not null,
    sent_at timestamptz,
    created_at timestamptz not null,
    check ((invoice_id is null) <> (credit_note_id is null))
);
create unique index e_document_invoice_idx on e_document (invoice_id) where invoice_id is not null;
create unique index e_document_credit_note_idx on e_document (credit_note_id) where credit_note_id is not null;
create index e_document_unsent_idx on e_document (created_at) where sent_at is null;

-- Issued documents are never changed nor deleted: only the hand-over to the access point
-- (sent_at) may be written.
create function e_document_as_issued() returns trigger language plpgsql as $$
begin
    raise exception 'e_document is kept as issued';
end;
$$;

create trigger e_document_as_issued before update of invoice_id, credit_note_id, number, issued_on, xml
    or delete on e_document for each row execute function e_document_as_issued();

create trigger e_document_no_truncate before truncate on e_document
    for each statement execute function e_document_as_issued();
