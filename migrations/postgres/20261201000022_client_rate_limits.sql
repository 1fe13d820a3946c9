-- Rate limits per client address on the public forms (registration, "is it registered?")
-- count their calls in auth_attempt beside logins and resets; subject is then the address.
-- The table is rebuilt with the wider CHECK, as SQLite must do it (it holds recent attempts only).
create table auth_attempt_new (
    auth_attempt_id text primary key,       -- UUIDv7
    kind text not null check (kind in ('login', 'reset', 'register', 'inquiry')),
    subject text not null,                  -- the lower-cased identifier, or the client address
    attempted_at timestamptz not null
);
insert into auth_attempt_new (auth_attempt_id, kind, subject, attempted_at)
    select auth_attempt_id, kind, subject, attempted_at from auth_attempt;
drop table auth_attempt;
alter table auth_attempt_new rename to auth_attempt;
create index auth_attempt_subject_idx on auth_attempt (kind, subject, attempted_at);
