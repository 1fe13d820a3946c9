-- Orders ("demandes") and their lines. Fees and values are copied onto the line when the
-- order is placed, so later catalogue edits never change an issued invoice.
-- Keep in lock-step with ../sqlite/20261127000003_create_order.sql.

create table purchase_order (
    order_id text primary key,              -- UUIDv7, shown in URLs
    reference text not null unique,         -- the transaction number quoted by the organisation
    organisation_id text not null references organisation (organisation_id),
    -- software and hardware are never in the same order
    category text not null check (category in ('software', 'hardware')),
    status text not null check (status in ('submitted', 'paid', 'transmitted', 'fulfilled', 'cancelled', 'refunded')),
    submitted_at timestamptz not null,
    validated_at timestamptz,                       -- quota windows use this date once set
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create index purchase_order_organisation_idx on purchase_order (organisation_id, submitted_at);
create index purchase_order_status_idx on purchase_order (status);

create table order_line (
    order_line_id text primary key,         -- UUIDv7
    order_id text not null references purchase_order (order_id) on delete cascade,
    product_id text not null references product (product_id),
    quantity integer not null check (quantity > 0),
    admin_fee_cents bigint not null check (admin_fee_cents >= 0),
    commercial_value_cents bigint not null check (commercial_value_cents >= 0),
    created_at timestamptz not null
);

create index order_line_order_idx on order_line (order_id);
create index order_line_product_idx on order_line (product_id);
