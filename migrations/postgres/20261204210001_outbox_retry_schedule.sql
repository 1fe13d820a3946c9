-- Each outbox message is retried on its own schedule (exponential backoff): a message that
-- fails waits until next_attempt_at while the others are sent (issue 21). Null: due now.
-- Keep in lock-step with ../sqlite/20261204210001_outbox_retry_schedule.sql.
alter table outgoing_email add column next_attempt_at timestamptz;
create index outgoing_email_due_idx on outgoing_email (status, next_attempt_at);
