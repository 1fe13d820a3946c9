-- "Contact": messages sent through the contact form, kept as conversations that staff assign,
-- answer by e-mail and close. A logged-in sender's person and organisation are attached; an
-- anonymous sender's name and e-mail are as typed. Closed conversations are deleted two
-- years after closing (the privacy notice says so).
-- Keep in lock-step with ../sqlite/20261207030000_contact_conversation.sql.

create table contact_conversation (
    conversation_id text primary key,       -- UUIDv7
    topic text not null check (topic in ('programme', 'eligibility', 'order', 'invoice', 'partner', 'other')),
    subject text not null,
    sender_name text not null,
    sender_email text not null,
    person_id text references person (person_id),                   -- a logged-in sender
    organisation_id text references organisation (organisation_id), -- the sender's organisation
    language text not null check (language in ('fr', 'nl', 'en')),  -- answers are written in it
    status text not null default 'open' check (status in ('open', 'closed')),
    assigned_to text references person (person_id),                 -- a staff member
    created_at timestamptz not null,
    updated_at timestamptz not null,                -- the last message
    closed_at timestamptz
);

-- The inbox: open (or closed) conversations, latest message first, one page at a time.
create index contact_conversation_status_idx on contact_conversation (status, updated_at);
-- "Assignées à moi".
create index contact_conversation_assigned_idx on contact_conversation (assigned_to, status);

-- The messages of a conversation: the sender's (incoming) and staff's answers (outgoing,
-- e-mailed through the outbox in the same transaction).
create table contact_message (
    message_id text primary key,            -- UUIDv7
    conversation_id text not null references contact_conversation (conversation_id) on delete cascade,
    direction text not null check (direction in ('incoming', 'outgoing')),
    author_id text references person (person_id),                   -- staff for an answer
    body text not null,
    created_at timestamptz not null
);

create index contact_message_conversation_idx on contact_message (conversation_id, created_at);
