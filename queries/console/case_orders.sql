-- The stored fields of the orders named in the temporary table console_order_ids(order_id),
-- by time, for a case's page.
SELECT o.order_id, o.received_at, coalesce(o.channel, ''), coalesce(o.street, ''),
       coalesce(o.community, ''), coalesce(o.handler_unit, ''), coalesce(o.status, ''),
       o.closed_at, coalesce(o.caller_name, ''), coalesce(o.caller_phone, ''),
       coalesce(o.content, ''), o.address
FROM work_orders o
JOIN console_order_ids i ON i.order_id = o.order_id
ORDER BY o.received_at, o.order_id;
