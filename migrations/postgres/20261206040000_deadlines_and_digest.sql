-- Deadlines as data and the daily staff digest (issue 24).
-- Keep in lock-step with ../sqlite/20261206040000_deadlines_and_digest.sql.

-- Refurbished hardware paid and not shipped: the dashboard's "En retard" reads only the paid
-- or transmitted refurbished orders, oldest payment first. The condition is repeated word for
-- word by app/src/deadline/db.rs, so that both engines may use the partial index.
create index purchase_order_unshipped_hardware_idx on purchase_order (validated_at, order_id)
    where category = 'hardware' and partner_approval is null and status in ('paid', 'transmitted');

-- Cisco orders still awaiting the partner's approval, asked at checkout (transmission waits
-- for it), oldest request first.
create index purchase_order_cisco_pending_idx on purchase_order (submitted_at, order_id)
    where partner_approval = 'pending' and status in ('submitted', 'paid', 'transmitted');

-- What each staff member chose for the daily digest ("Résumé quotidien"). No row: every
-- section. enabled false: "Pas de résumé".
create table staff_digest_setting (
    person_id text primary key references person (person_id) on delete cascade,
    enabled boolean not null default true,
    sections text not null,                 -- comma-separated section names (DigestSection)
    updated_at timestamptz not null
);

-- One digest per person and Belgian day: the primary key is the claim, inserted in the
-- transaction that queues the e-mail, so several instances never send one twice. A digest
-- with nothing in it is claimed too (emailed false): nothing was sent. Its created_at is
-- where the next digest's "new since" sections start.
create table staff_digest (
    person_id text not null references person (person_id) on delete cascade,
    day text not null,                      -- YYYY-MM-DD, in Belgium
    emailed boolean not null,
    created_at timestamptz not null,
    primary key (person_id, day)
);

-- The digest's recipients: staff are a handful among 100,000 account holders, and the worker
-- looks for those not served yet every minute (without it, a scan of every person).
create index person_staff_idx on person (person_id) where staff_role is not null;
