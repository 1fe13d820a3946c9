-- "Mon organisation est-elle inscrite ?" questions from the public, and appeals against a
-- refusal (they put the organisation back in the review queue).
-- Keep in lock-step with ../sqlite/20261127000008_inquiries_and_appeals.sql.

create table registration_inquiry (
    inquiry_id text primary key,            -- UUIDv7
    organisation_name text not null,
    enterprise_number text not null,        -- as typed
    address text not null,
    reply_email text not null,
    created_at timestamptz not null
);

create index registration_inquiry_created_idx on registration_inquiry (created_at);

alter table organisation add column appeal_note text;           -- the organisation's appeal against a refusal
alter table organisation add column appealed_at timestamptz;            -- set while the appeal waits for staff
