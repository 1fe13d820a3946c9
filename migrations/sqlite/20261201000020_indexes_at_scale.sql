-- Indexes found by the scale run of bench/run.sh (100,000 organisations, 1,000,000 order
-- lines; BENCHMARKS.md). The review queue's "pending, info_requested or appealed" read every
-- organisation; the staff order list sorted every order before taking a page of 50. The queue
-- reads the two conditions as a union (org::db::waiting_for_review), each with its index:
-- SQLite scans the table for the OR, and uses the partial index for "appealed_at is not null".
create index organisation_eligibility_idx on organisation (eligibility_status);
create index organisation_appealed_idx on organisation (appealed_at) where appealed_at is not null;
create index purchase_order_submitted_idx on purchase_order (submitted_at, order_id);
