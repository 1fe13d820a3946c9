-- The audit trail is append-only (issue 8): the app has no update or delete path for it,
-- and these triggers refuse one from anywhere else too.
-- Keep in lock-step with ../postgres/20261130000017_audit_append_only.sql.

create trigger audit_event_no_update before update on audit_event
begin
    select raise(abort, 'audit_event is append-only');
end;

create trigger audit_event_no_delete before delete on audit_event
begin
    select raise(abort, 'audit_event is append-only');
end;

-- Staff filter the trail by action and by actor, newest first.
create index audit_event_action_idx on audit_event (action, occurred_at);
create index audit_event_actor_idx on audit_event (actor_person_id, occurred_at);
