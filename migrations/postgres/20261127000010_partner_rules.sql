-- The partner rules as versioned data: each partner's parameters (limits, windows, caps,
-- minimums) for a country from an effective date; an order is judged by the version in
-- force at checkout. Also what the rules need to know of products and organisations.
-- Keep in lock-step with ../sqlite/20261127000010_partner_rules.sql.

create table partner_rule_version (
    rule_version_id text primary key,       -- UUIDv7
    partner_id text not null references partner (partner_id),
    country text not null check (country in ('BE', 'LU')),
    effective_from text not null,           -- YYYY-MM-DD, the first day it applies
    params_json text not null,              -- {"adobe_max_per_year": 4, …}: the partner's own keys
    created_by text references person (person_id),
    created_at timestamptz not null
);

create unique index partner_rule_version_key_idx on partner_rule_version (partner_id, country, effective_from);

-- Offers a partner's rules tell apart: standard, microsoft_discount, adobe_creative_cloud,
-- zoom_pro, zoom_business.
alter table product add column offer text not null default 'standard';

alter table organisation add column discount_certificate_issued text;  -- YYYY-MM-DD, Microsoft discount
alter table organisation add column autodesk_direct_purchase text;     -- YYYY-MM-DD, as declared
alter table organisation add column autodesk_waiver boolean not null default false;
