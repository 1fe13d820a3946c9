-- The cart, checkout, invoices and payments (issue 5).
-- Keep in lock-step with ../postgres/20261127000013_cart_checkout_invoices.sql.

-- "Panier": one cart per organisation, kept in the database so that it follows its members
-- from one device to another. Line fields some partners need are empty strings elsewhere.
create table cart_line (
    cart_line_id text primary key,          -- UUIDv7
    organisation_id text not null references organisation (organisation_id) on delete cascade,
    product_id text not null references product (product_id),
    quantity integer not null check (quantity between 1 and 999),
    aws_account_id text not null default '',
    aws_account_name text not null default '',
    named_user text not null default '',    -- Adobe Creative Cloud: the person's e-mail
    zoom_addons text not null default '',   -- Zoom: comma-separated add-on codes
    created_at text not null,
    updated_at text not null
);

create index cart_line_organisation_idx on cart_line (organisation_id, created_at);

-- One "Continuer": the idempotency key the browser sent, so that a double click or a retried
-- request finds the orders the first one created instead of creating more.
create table checkout (
    checkout_id text primary key,           -- UUIDv7
    organisation_id text not null references organisation (organisation_id),
    idempotency_key text not null,
    person_id text not null references person (person_id),
    created_at text not null,
    unique (organisation_id, idempotency_key)
);

alter table purchase_order add column checkout_id text references checkout (checkout_id);
-- An unpaid order is reminded once, then expires (cancelled with reason 'expired').
alter table purchase_order add column reminder_sent_at text;
alter table purchase_order add column cancel_reason text;

create index purchase_order_checkout_idx on purchase_order (checkout_id);

-- What fulfilment needs of a line, copied from the cart.
alter table order_line add column aws_account_id text;
alter table order_line add column aws_account_name text;
alter table order_line add column zoom_addons text;

-- Gap-free invoice numbers: the year's counter is bumped in the checkout transaction, so a
-- rolled-back checkout gives its number back.
create table invoice_counter (
    year integer primary key,
    last_number integer not null
);

-- One invoice per order. The customer's identity and the amounts are copied at issue, so a
-- later change of address or catalogue never alters an issued invoice.
create table invoice (
    invoice_id text primary key,            -- UUIDv7
    order_id text not null unique references purchase_order (order_id),
    year integer not null,
    number integer not null,
    communication text not null unique,     -- 12 digits of the structured communication
    issued_on text not null,                -- YYYY-MM-DD
    due_on text not null,                   -- YYYY-MM-DD: the order expires after it
    customer_name text not null,
    customer_street text not null,
    customer_postal_code text not null,
    customer_city text not null,
    customer_country text not null,
    customer_enterprise_number text not null,
    net_cents bigint not null,
    vat_rate_bps integer not null,
    vat_cents bigint not null,
    total_cents bigint not null,
    created_at text not null,
    unique (year, number)
);

-- Money received: typed in by staff or read from a camt.053 statement. bank_reference makes a
-- statement line land once however often the statement is imported.
create table payment (
    payment_id text primary key,            -- UUIDv7
    source text not null check (source in ('manual', 'camt053')),
    bank_reference text unique,
    statement_id text,
    invoice_id text references invoice (invoice_id),  -- null while unmatched
    amount_cents bigint not null check (amount_cents > 0),
    currency text not null,
    communication text,
    debtor_name text,
    booked_on text not null,                -- YYYY-MM-DD
    -- matched: settles the invoice; partial / excess: the wrong amount; unmatched: no invoice
    outcome text not null check (outcome in ('matched', 'partial', 'excess', 'unmatched')),
    resolved_at text,                         -- staff dealt with a partial, excess or unmatched line
    recorded_by text references person (person_id),
    created_at text not null
);

create index payment_invoice_idx on payment (invoice_id);
create index payment_outcome_idx on payment (outcome, created_at);
