-- Append-only audit trail: who did what, when, with the state before and after (JSON text).
-- Keep in lock-step with ../sqlite/20261127000006_create_audit_event.sql.

create table audit_event (
    audit_event_id text primary key,        -- UUIDv7 (time-ordered)
    occurred_at timestamptz not null,
    actor_person_id text references person (person_id),
    action text not null,                   -- e.g. 'organisation.qualified'
    entity_type text not null,
    entity_id text not null,
    before_json text,
    after_json text
);

create index audit_event_entity_idx on audit_event (entity_type, entity_id);
create index audit_event_occurred_idx on audit_event (occurred_at);
