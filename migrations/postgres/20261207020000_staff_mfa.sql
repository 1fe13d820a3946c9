-- The second factor at login (TOTP, RFC 6238): required of every staff account, chosen by
-- organisation accounts. A login whose password is right but whose code is still to come
-- holds an mfa_challenge, never a session: it authorises nothing but the code step.
-- Keep in lock-step with ../sqlite/20261207020000_staff_mfa.sql.

create table person_mfa (
    person_id text primary key references person (person_id) on delete cascade,
    secret text not null,                   -- base32, as the authenticator app is given it
    confirmed_at timestamptz,               -- null while the enrolment awaits its first code
    last_step bigint not null default 0,    -- the newest time step accepted: a code works once
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- Ten one-time recovery codes per enrolment, kept as SHA-256 hashes.
create table mfa_recovery_code (
    mfa_recovery_code_id text primary key,
    person_id text not null references person (person_id) on delete cascade,
    code_hash text not null,
    created_at timestamptz not null,
    used_at timestamptz
);

create index mfa_recovery_code_person_idx on mfa_recovery_code (person_id, code_hash);

-- The short-lived state between the password and the code.
create table mfa_challenge (
    mfa_challenge_id text primary key,      -- SHA-256 of the cookie's token, hex
    person_id text not null references person (person_id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null
);

create index mfa_challenge_person_idx on mfa_challenge (person_id);
