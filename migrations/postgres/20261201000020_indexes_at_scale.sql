-- Indexes found by the scale run of bench/run.sh (100,000 organisations, 1,000,000 order
-- lines; BENCHMARKS.md). The review queue's "pending, info_requested or appealed" read every
-- organisation; the staff order list sorted every order before taking a page of 50. SQLite
-- still scans for the queue's OR (a union over the two indexes was slower: 5,010 lookups by
-- id, see BENCHMARKS.md); PostgreSQL can combine them.
create index organisation_eligibility_idx on organisation (eligibility_status);
create index organisation_appealed_idx on organisation (appealed_at) where appealed_at is not null;
create index purchase_order_submitted_idx on purchase_order (submitted_at, order_id);
