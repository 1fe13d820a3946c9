-- Validation tokens ("jetons de validation"), partner API clients and the log of partner
-- checks (issue 7). Keep in lock-step with ../sqlite/20261127000015_validation_tokens.sql.

-- A token proves to a partner that the organisation was validated. The holder creates it
-- for themself or another authorised person; it lives 60 days; a refresh replaces the code.
-- The code is kept so that its people can copy it again; it never reaches a log.
create table validation_token (
    token_id text primary key,              -- UUIDv7
    organisation_id text not null references organisation (organisation_id),
    code text not null unique,              -- 8 lowercase alphanumerics @ 16 lowercase alphanumerics
    created_by text not null references person (person_id),
    recipient_name text not null,
    recipient_email text not null,          -- lower-cased: members see the tokens made for them
    purpose text not null default '',
    partner_id text references partner (partner_id), -- null: any partner
    created_at timestamptz not null,
    expires_at timestamptz not null,
    refreshed_at timestamptz,
    revoked_at timestamptz,
    revoked_by text references person (person_id),
    reminded_at timestamptz                 -- the 7-day reminder for the current expiry went out
);

create index validation_token_organisation_idx on validation_token (organisation_id, created_at);
create index validation_token_reminder_idx on validation_token (expires_at) where reminded_at is null and revoked_at is null;

-- A partner's system (or the people checking by hand) calling the verification API. Only
-- the SHA-256 of its key is stored: the key is shown once, at creation.
create table partner_client (
    partner_client_id text primary key,     -- UUIDv7
    partner_id text not null references partner (partner_id),
    name text not null,
    key_hash text not null unique,          -- SHA-256 of the key, hex
    key_prefix text not null,               -- its first symbols, to tell keys apart
    rate_per_minute integer not null default 60 check (rate_per_minute between 1 and 100000),
    created_by text references person (person_id),
    created_at timestamptz not null,
    last_used_at timestamptz,
    revoked_at timestamptz
);

-- Every check a client made: the token's usage log, and the client's rate limit (the checks
-- of the last minute). A malformed code is logged without a token.
create table token_check (
    token_check_id text primary key,        -- UUIDv7
    partner_client_id text not null references partner_client (partner_client_id),
    token_id text references validation_token (token_id),
    outcome text not null check (outcome in ('valid', 'unknown', 'expired', 'revoked', 'organisation_not_validated', 'not_qualified', 'malformed')),
    checked_at timestamptz not null
);

create index token_check_client_idx on token_check (partner_client_id, checked_at);
create index token_check_token_idx on token_check (token_id, checked_at);
