-- Partners (donors), Microsoft product families and the catalogue of offers.
-- Keep in lock-step with ../sqlite/20261127000001_create_catalogue.sql.

create table partner (
    partner_id text primary key,            -- a readable slug: 'microsoft', 'adobe', …
    name text not null,
    sort_order integer not null default 0,
    active boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- Microsoft quotas count licences per family (Office, Windows Server, …).
create table product_family (
    product_family_id text primary key,
    partner_id text not null references partner (partner_id),
    name text not null,
    created_at timestamptz not null
);

create table product (
    product_id text primary key,            -- UUIDv7
    slug text not null unique,              -- used in URLs
    partner_id text not null references partner (partner_id),
    kind text not null check (kind in ('software_licence', 'subscription', 'cloud_credit', 'hardware', 'validation_only')),
    product_family_id text references product_family (product_family_id),
    licence_type text check (licence_type in ('desktop', 'core_server', 'non_core_server')),
    software_assurance boolean not null default false,
    name text not null,
    description_fr text not null default '',
    description_nl text not null default '',
    description_en text not null default '',
    admin_fee_cents bigint not null check (admin_fee_cents >= 0),          -- "frais administratifs", excl. VAT
    commercial_value_cents bigint not null check (commercial_value_cents >= 0),
    active boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create index product_partner_idx on product (partner_id);
