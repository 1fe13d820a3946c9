-- Login sessions live in the database so that several app instances can share them.
-- Only a hash of the session token is stored.
-- Keep in lock-step with ../sqlite/20261127000004_create_session.sql.

create table session (
    session_id text primary key,            -- SHA-256 of the cookie's token, hex
    person_id text not null references person (person_id) on delete cascade,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null
);

create index session_person_idx on session (person_id);
create index session_expires_idx on session (expires_at);
