-- Every member invitation a holder sends, whether it became an invitation (a new address)
-- or a neutral notice (an address that already has an account): counted per holder per day
-- for the invitation limit, and per address per day so an existing account gets at most one
-- notice a day (issue 21).
-- Keep in lock-step with ../postgres/20261204210003_create_invitation.sql.
create table invitation (
    invitation_id text primary key,         -- UUIDv7
    organisation_id text not null references organisation (organisation_id),
    invited_by text not null references person (person_id),
    email text not null,
    kind text not null check (kind in ('invitation', 'notice')),
    created_at text not null
);

create index invitation_invited_by_idx on invitation (invited_by, created_at);
create index invitation_email_idx on invitation (email, kind, created_at);
