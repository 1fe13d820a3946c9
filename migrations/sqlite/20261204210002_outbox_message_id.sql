-- The Message-ID header, chosen once when the message is queued and sent with every attempt,
-- so that a message sent again after an interrupted attempt is recognisably the same e-mail.
-- Null on messages queued before this column (the worker then derives it from the id).
-- Keep in lock-step with ../postgres/20261204210002_outbox_message_id.sql.
alter table outgoing_email add column message_id text;
