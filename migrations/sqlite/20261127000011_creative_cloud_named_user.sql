-- Adobe Creative Cloud: one subscription per named person, new users only. The person (their
-- e-mail address, as Adobe knows them) is kept on the order line so later orders can be
-- checked against it.
-- Keep in lock-step with ../postgres/20261127000011_creative_cloud_named_user.sql.

alter table order_line add column named_user text;

-- The rules engine finds the running Microsoft cycle by asking for the first order validated
-- on or after a date, once per cycle, and reads an organisation's orders validated since a
-- date or not validated yet (then by submission date).
create index purchase_order_validated_idx on purchase_order (organisation_id, validated_at, submitted_at);
