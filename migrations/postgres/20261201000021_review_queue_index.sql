-- The review queue in one index (bench/run.sh at 100,000 organisations: the queue read its
-- 5,002 waiting files, 42 ms, on every staff dashboard and queue page). The index holds only
-- the waiting files, ordered as the queue is: by the date their clock started, then by id.
-- Its condition is the one the queries in org/db.rs repeat word for word, which is how
-- SQLite knows it may use a partial index. It replaces migration 20's index on appealed_at,
-- which served the queue alone.
drop index organisation_appealed_idx;
create index organisation_review_queue_idx on organisation
    (coalesce(appealed_at, submitted_at, created_at), organisation_id, eligibility_status, appealed_at)
    where eligibility_status in ('pending', 'info_requested') or appealed_at is not null;
