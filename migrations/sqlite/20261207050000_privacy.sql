-- Privacy (issue 25): a person can be erased, and the audit trail's payloads can be redacted.
-- Keep in lock-step with ../postgres/20261207050000_privacy.sql.
--
-- An erased person keeps their row, so that orders, invoices and the audit trail still name
-- who acted by id; the name, e-mail, login and password are replaced and `anonymised_at` says
-- when.
alter table person add column anonymised_at text;

-- The trail stays append-only for what happened, who did it (by id) and when. The one change
-- it accepts is a redaction: the payloads (before_json, after_json) rewritten with a person's
-- name and addresses replaced, stamped with a new `redacted_at`. Nothing else can change, and
-- nothing can be deleted.
alter table audit_event add column redacted_at text;

drop trigger audit_event_no_update;
create trigger audit_event_no_update before update on audit_event
when not (
    new.audit_event_id = old.audit_event_id
    and new.occurred_at = old.occurred_at
    and new.actor_person_id is old.actor_person_id
    and new.action = old.action
    and new.entity_type = old.entity_type
    and new.entity_id = old.entity_id
    and new.redacted_at is not null
    and new.redacted_at is not old.redacted_at
)
begin
    select raise(abort, 'audit_event is append-only');
end;
