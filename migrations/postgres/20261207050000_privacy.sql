-- Privacy (issue 25): a person can be erased, and the audit trail's payloads can be redacted.
-- Keep in lock-step with ../sqlite/20261207050000_privacy.sql.
--
-- An erased person keeps their row, so that orders, invoices and the audit trail still name
-- who acted by id; the name, e-mail, login and password are replaced and `anonymised_at` says
-- when.
alter table person add column anonymised_at timestamptz;

-- The trail stays append-only for what happened, who did it (by id) and when. The one change
-- it accepts is a redaction: the payloads (before_json, after_json) rewritten with a person's
-- name and addresses replaced, stamped with a new `redacted_at`. Nothing else can change, and
-- nothing can be deleted (or truncated).
alter table audit_event add column redacted_at timestamptz;

create or replace function audit_event_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if new.audit_event_id = old.audit_event_id
            and new.occurred_at = old.occurred_at
            and new.actor_person_id is not distinct from old.actor_person_id
            and new.action = old.action
            and new.entity_type = old.entity_type
            and new.entity_id = old.entity_id
            and new.redacted_at is not null
            and new.redacted_at is distinct from old.redacted_at
        then
            return new;
        end if;
    end if;
    raise exception 'audit_event is append-only';
end;
$$;
