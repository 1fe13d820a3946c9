-- "Rejoindre mon organisation" (issue 25): someone asks to join an organisation already
-- registered. Stored only when the enterprise number names one; the account holder, or staff
-- with a supporting document when the holder is gone, approves (an invitation goes out) or
-- refuses. The document staff attach stays with the request.
-- Keep in lock-step with ../sqlite/20261207040001_join_request.sql.
create table join_request (
    join_request_id text primary key,       -- UUIDv7
    organisation_id text not null references organisation (organisation_id) on delete cascade,
    full_name text not null,
    email text not null,                    -- lower-cased
    message text not null,
    language text not null check (language in ('fr', 'nl', 'en')),
    status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
    role text check (role in ('member', 'account_holder')), -- what an approval made of the requester
    decided_by text references person (person_id) on delete set null,
    decided_at timestamptz,
    document_name text,                     -- staff's supporting document, when staff decided
    document_type text check (document_type in ('application/pdf', 'image/png', 'image/jpeg')),
    document_size bigint,
    document_content bytea,
    created_at timestamptz not null
);

create index join_request_organisation_idx on join_request (organisation_id, status, created_at);
create index join_request_status_idx on join_request (status, created_at);
