-- Order lines carry their organisation, so that a question about one organisation's lines
-- (the Creative Cloud subscriptions it ever ordered, for the rules engine) is one index range
-- instead of a walk through all its orders. insert_order_line copies it from the order.
-- Keep in lock-step with ../sqlite/20261127000012_order_line_organisation.sql.

alter table order_line add column organisation_id text references organisation (organisation_id);

update order_line set organisation_id =
    (select o.organisation_id from purchase_order o where o.order_id = order_line.order_id);

create index order_line_organisation_idx on order_line (organisation_id, product_id);

-- The lines of an order with what the rules engine reads of them, straight from the index.
create index order_line_order_cover_idx on order_line (order_id, product_id, quantity, named_user);
drop index order_line_order_idx;
