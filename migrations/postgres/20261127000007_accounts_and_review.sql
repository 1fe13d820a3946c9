-- Accounts and the eligibility review: when a file is complete (the review clock starts),
-- staff decisions with their reasons, questions to the organisation, password resets and
-- the attempts that rate-limit login and reset.
-- Keep in lock-step with ../sqlite/20261127000007_accounts_and_review.sql.

alter table organisation add column submitted_at timestamptz;   -- all information in: the two-business-day clock starts
alter table organisation add column eligibility_reason text;    -- staff's reason for the last eligibility decision
alter table organisation add column reviewed_at timestamptz;
alter table organisation add column info_request text;          -- staff's question while status is info_requested
alter table organisation add column info_response text;         -- the organisation's answer
alter table organisation add column language text not null default 'fr'; -- language of its e-mails: the one it registered in

alter table qualification add column reason text;               -- why (not) qualified, shown to the organisation
alter table qualification add column decided_by text references person (person_id);

-- Uploaded files (statutes, answers to questions, change-request evidence), in the database so
-- that every app instance serves them; each belongs to one organisation.
create table document (
    document_id text primary key,           -- UUIDv7
    organisation_id text not null references organisation (organisation_id) on delete cascade,
    kind text not null check (kind in ('statutes', 'info_response', 'change_request')),
    file_name text not null,
    content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg')),
    size_bytes bigint not null,
    content bytea not null,
    uploaded_by text references person (person_id),
    created_at timestamptz not null
);

create index document_organisation_idx on document (organisation_id);

create table password_reset (
    token_hash text primary key,            -- SHA-256 of the e-mailed token, hex
    person_id text not null references person (person_id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz
);

create index password_reset_person_idx on password_reset (person_id);

create table auth_attempt (
    auth_attempt_id text primary key,       -- UUIDv7
    kind text not null check (kind in ('login', 'reset')),
    subject text not null,                  -- the lower-cased identifier typed in
    attempted_at timestamptz not null
);

create index auth_attempt_subject_idx on auth_attempt (kind, subject, attempted_at);
