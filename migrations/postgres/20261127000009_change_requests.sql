-- Change requests for locked registration data ("demande de modification"): the organisation
-- files the new values, staff accept (the data changes) or refuse (with a reason).
-- Keep in lock-step with ../sqlite/20261127000009_change_requests.sql.

create table change_request (
    change_request_id text primary key,     -- UUIDv7
    organisation_id text not null references organisation (organisation_id) on delete cascade,
    requested_by text references person (person_id),
    -- the new values; null leaves a field as it is
    legal_name text,
    enterprise_number text,                 -- normalised
    street text,
    postal_code text,
    city text,
    contact_email text,
    note text,
    status text not null default 'pending' check (status in ('pending', 'accepted', 'refused')),
    decision_reason text,
    decided_by text references person (person_id),
    created_at timestamptz not null,
    decided_at timestamptz
);

create index change_request_organisation_idx on change_request (organisation_id, created_at);
create index change_request_status_idx on change_request (status, created_at);
-- One open request per organisation at a time.
create unique index change_request_one_pending_idx on change_request (organisation_id) where status = 'pending';
