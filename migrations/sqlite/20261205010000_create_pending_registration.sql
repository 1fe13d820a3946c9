-- Registration in two steps (issue 21, item 8): the public form stores what was sent here
-- and always answers "check your mailbox"; only the link mailed to the holder's address
-- creates the organisation. `kind` says what that mail was: `confirm` (a link, neither the
-- e-mail nor the enterprise number had an account), `email_taken` or `number_taken` (a
-- notice, no link). Rows are counted per address per day, so the form cannot mail-bomb
-- anyone, and deleted once expired.
-- Keep in lock-step with ../postgres/20261205010000_create_pending_registration.sql.
create table pending_registration (
    pending_registration_id text primary key,   -- UUIDv7
    kind text not null check (kind in ('confirm', 'email_taken', 'number_taken')),
    token_hash text unique,                      -- SHA-256 of the mailed token, hex; confirm only
    legal_name text not null,
    legal_form text not null,
    country text not null,
    enterprise_number text not null,             -- normalised
    street text not null,
    postal_code text not null,
    city text not null,
    contact_email text not null,
    mission_category text not null,
    holder_name text not null,
    holder_email text not null,                  -- lower-cased
    password_hash text,                          -- argon2id PHC string; confirm only
    language text not null check (language in ('fr', 'nl', 'en')),
    created_at text not null,
    expires_at text not null,
    confirmed_at text
);

create index pending_registration_email_idx on pending_registration (holder_email, created_at);
create index pending_registration_expires_idx on pending_registration (expires_at);
