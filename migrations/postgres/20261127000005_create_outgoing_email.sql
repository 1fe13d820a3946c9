-- The outbox: every e-mail is written here in the transaction that causes it, then a
-- worker claims and sends it over SMTP, so no message is lost or sent twice.
-- Keep in lock-step with ../sqlite/20261127000005_create_outgoing_email.sql.

create table outgoing_email (
    outgoing_email_id text primary key,     -- UUIDv7
    to_address text not null,
    subject text not null,
    body_text text not null,
    body_html text,
    status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
    attempts bigint not null default 0,
    last_error text,
    claimed_at timestamptz,
    sent_at timestamptz,
    created_at timestamptz not null
);

create index outgoing_email_status_idx on outgoing_email (status, created_at);
