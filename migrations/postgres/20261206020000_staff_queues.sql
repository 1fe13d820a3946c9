-- Staff at scale (issue 24): the work queues of /admin/orders and agents scoped to partners.
-- Keep in lock-step with ../sqlite/20261206020000_staff_queues.sql.

-- An agent limited to some partners (a "Cisco desk") sees and acts on the orders of those
-- partners only. No row: every partner, as before.
create table staff_partner_scope (
    person_id text not null references person (person_id),
    partner_id text not null references partner (partner_id),
    created_at timestamptz not null,
    primary key (person_id, partner_id)
);

-- When an order was cancelled, for the queue of recent cancellations. Orders cancelled before
-- this column read their last change as that moment.
alter table purchase_order add column cancelled_at timestamptz;
update purchase_order set cancelled_at = updated_at where status = 'cancelled';
create index purchase_order_cancelled_idx on purchase_order (status, cancelled_at);

-- Cisco's approvals still waiting, oldest first, without reading every order.
create index purchase_order_approval_idx on purchase_order (partner_approval, submitted_at);
