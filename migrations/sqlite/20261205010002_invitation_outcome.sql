-- What became of an invitation: the person it created for a new address (none for a notice
-- to an existing account, nor once a cancelled invitation removed that person), and when it
-- was accepted or cancelled. An invitation is pending until one of those or its expiry
-- (INVITATION_VALIDITY after created_at), and the holder sees it so, whatever its kind.
-- Keep in lock-step with ../postgres/20261205010002_invitation_outcome.sql.
alter table invitation add column person_id text references person (person_id) on delete set null;
alter table invitation add column accepted_at text;
alter table invitation add column cancelled_at text;

create index invitation_organisation_idx on invitation (organisation_id, created_at);
create index invitation_person_idx on invitation (person_id);
