-- When a member accepted their invitation (chose a password through its link). A member
-- invited by the account holder is recorded at once but stays out of the organisation's member
-- list, and cannot act for it, until then: the holder sees "pending" for every invitation,
-- whether or not the address already had an account (issue 21, item 7). Memberships made
-- another way (registration, import, demo) are accepted when made; existing ones already were.
-- Keep in lock-step with ../sqlite/20261205010001_membership_accepted.sql.
alter table membership add column accepted_at timestamptz;

update membership set accepted_at = created_at;
