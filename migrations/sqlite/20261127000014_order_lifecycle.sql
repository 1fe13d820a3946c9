-- The order lifecycle after "Continuer" (issue 6): the timeline, cancellations, partner
-- fulfilment, shipments, refund requests and renewal reminders.
-- Keep in lock-step with ../postgres/20261127000014_order_lifecycle.sql.

-- Windows Get Genuine licences are never refunded; every other product may be, under its
-- partner's rule.
alter table product add column refundable integer not null default 1 check (refundable in (0, 1));

-- Cisco orders wait for the partner's approval: null elsewhere.
alter table purchase_order add column partner_approval text check (partner_approval in ('pending', 'approved', 'refused'));
alter table purchase_order add column transmitted_at text;
alter table purchase_order add column fulfilled_at text;

-- A cancelled line no longer counts in any quota; an order whose lines are all cancelled is
-- cancelled. Fulfilment: the PIN, redemption or discount code staff type in, the partner's
-- instructions, and when a yearly product (Zoom code, Autodesk subscription, AWS credits)
-- runs out.
alter table order_line add column cancelled_at text;
alter table order_line add column refunded_at text;
alter table order_line add column fulfilment_code text;
alter table order_line add column fulfilment_note text;
alter table order_line add column expires_on text;          -- YYYY-MM-DD

-- The timeline of an order, oldest first: every status change and every step staff record.
create table order_event (
    order_event_id text primary key,        -- UUIDv7
    order_id text not null references purchase_order (order_id),
    kind text not null,                     -- status, approval, shipment, fulfilment, lines_cancelled, refund_requested, refund_decided
    from_status text,
    to_status text,
    note text not null default '',
    person_id text references person (person_id),   -- null: the system (expiry)
    created_at text not null
);

create index order_event_order_idx on order_event (order_id, created_at);

-- Parcels of hardware and Cisco orders; Cisco may ship in parts. SMARTnet runs five years
-- from delivery.
create table shipment (
    shipment_id text primary key,           -- UUIDv7
    order_id text not null references purchase_order (order_id),
    shipped_on text not null,               -- YYYY-MM-DD
    carrier text not null,
    tracking text not null,
    items text not null,
    delivered_on text,                      -- YYYY-MM-DD
    created_at text not null
);

create index shipment_order_idx on shipment (order_id);

-- Lowers what an unpaid invoice asks for when some of its lines are cancelled; the issued
-- invoice itself never changes.
create table credit_note (
    credit_note_id text primary key,        -- UUIDv7
    invoice_id text not null references invoice (invoice_id),
    net_cents bigint not null,
    vat_cents bigint not null,
    total_cents bigint not null,
    reason text not null,
    created_at text not null
);

create index credit_note_invoice_idx on credit_note (invoice_id);

-- "Demande de remboursement" for one line, judged by its partner's rule when made and
-- answered by staff.
create table refund_request (
    refund_request_id text primary key,     -- UUIDv7
    order_id text not null references purchase_order (order_id),
    order_line_id text not null references order_line (order_line_id),
    organisation_id text not null references organisation (organisation_id),
    person_id text not null references person (person_id),
    reason text not null,
    declaration integer not null default 0 check (declaration in (0, 1)),   -- Microsoft: licences unused
    status text not null check (status in ('pending', 'accepted', 'refused')),
    response text not null default '',
    decided_by text references person (person_id),
    decided_at text,
    created_at text not null
);

create index refund_request_status_idx on refund_request (status, created_at);
create index refund_request_order_idx on refund_request (order_id);
-- One open request per line.
create unique index refund_request_open_idx on refund_request (order_line_id) where status = 'pending';

-- Renewal reminders sent, one row per line and threshold (30, 15, 5 days): the primary key
-- is the claim, so a restarted or second instance never sends one twice.
create table renewal_reminder (
    order_line_id text not null references order_line (order_line_id),
    days_before integer not null,
    sent_at text not null,
    primary key (order_line_id, days_before)
);

create index order_line_expires_idx on order_line (expires_on);
-- Staff queues list one status, newest first.
create index purchase_order_status_submitted_idx on purchase_order (status, submitted_at);
