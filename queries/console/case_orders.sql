-- The stored fields of the orders named in the temporary table console_order_ids(order_id),
-- by time, for a case's page, each with its own id last (the column case_orders_by_row.sql
-- fills with the id it expected). Parameters: $1, $2 = the first and last time among them
-- (orders are stored roughly by time, so the bounds skip most of the table).
SELECT o.order_id, o.received_at, coalesce(o.channel, ''), coalesce(o.street, ''),
       coalesce(o.community, ''), coalesce(o.handler_unit, ''), coalesce(o.status, ''),
       o.closed_at, coalesce(o.caller_name, ''), coalesce(o.caller_phone, ''),
       coalesce(o.content, ''), o.address, o.order_id AS expected
FROM work_orders o
JOIN console_order_ids i ON i.order_id = o.order_id
WHERE o.received_at BETWEEN $1 AND $2
ORDER BY o.received_at, o.order_id;
