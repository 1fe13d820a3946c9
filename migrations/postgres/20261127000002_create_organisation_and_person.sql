-- Organisations (the customers), people who log in, their memberships and the
-- per-partner qualification decided by staff.
-- Keep in lock-step with ../sqlite/20261127000002_create_organisation_and_person.sql.

create table organisation (
    organisation_id text primary key,       -- UUIDv7
    legal_name text not null,
    legal_form text not null check (legal_form in ('asbl', 'aisbl', 'fondation', 'bibliotheque_publique', 'ecole_enseignement_specialise')),
    country text not null check (country in ('BE', 'LU')),
    enterprise_number text not null unique, -- normalised: 10 digits (BE) or RCS form (LU)
    street text not null,
    postal_code text not null,
    city text not null,
    contact_email text not null,
    mission_category text not null,
    -- programme eligibility, before any partner qualification
    eligibility_status text not null default 'pending' check (eligibility_status in ('pending', 'info_requested', 'eligible', 'rejected')),
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table person (
    person_id text primary key,             -- UUIDv7
    username text not null unique,
    email text not null unique,
    full_name text not null,
    password_hash text not null,            -- argon2id PHC string
    staff_role text check (staff_role in ('agent', 'admin')), -- null for organisation users
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- "titulaire du compte" (account_holder) or member of an organisation.
create table membership (
    organisation_id text not null references organisation (organisation_id) on delete cascade,
    person_id text not null references person (person_id) on delete cascade,
    role text not null check (role in ('member', 'account_holder')),
    created_at timestamptz not null,
    primary key (organisation_id, person_id)
);

-- Exactly one account holder per organisation.
create unique index membership_one_holder_idx on membership (organisation_id) where role = 'account_holder';
create index membership_person_idx on membership (person_id);

create table qualification (
    organisation_id text not null references organisation (organisation_id) on delete cascade,
    partner_id text not null references partner (partner_id),
    status text not null check (status in ('qualified', 'not_qualified')),
    decided_at timestamptz not null,
    primary key (organisation_id, partner_id)
);
