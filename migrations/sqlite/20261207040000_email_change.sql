-- A person changes their login e-mail (issue 25): a single-use link, valid 24 hours, goes to
-- the new address; nothing changes until it is used. An address that another account took in
-- the meantime is refused when the link is used.
-- Keep in lock-step with ../postgres/20261207040000_email_change.sql.
create table email_change (
    token_hash text primary key,            -- SHA-256 of the e-mailed token, hex
    person_id text not null references person (person_id) on delete cascade,
    new_email text not null,                -- lower-cased
    created_at text not null,
    expires_at text not null,
    used_at text
);

create index email_change_person_idx on email_change (person_id);
