-- One row rewritten by /readyz to tell whether the database accepts writes (a full disk or
-- a read-only database answers reads but not writes).
create table readiness_probe (
    readiness_probe_id text primary key,    -- 'write'
    checked_at text not null
);
