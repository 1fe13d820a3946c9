-- The audit trail is append-only (issue 8): the app has no update or delete path for it,
-- and these triggers refuse one from anywhere else too (truncate included).
-- Keep in lock-step with ../sqlite/20261130000017_audit_append_only.sql.

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end;
$$;

create trigger audit_event_no_update_or_delete before update or delete on audit_event
    for each row execute function audit_event_append_only();

create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();

-- Staff filter the trail by action and by actor, newest first.
create index audit_event_action_idx on audit_event (action, occurred_at);
create index audit_event_actor_idx on audit_event (actor_person_id, occurred_at);
