-- The street, handling unit and channel of the orders that start cases (a case's id is
-- its first order's id), for the console's filters and named leads. Reads the temporary
-- table console_order_ids(order_id).
SELECT o.order_id, coalesce(o.street, ''), coalesce(o.handler_unit, '')
FROM work_orders o
JOIN console_order_ids c ON c.order_id = o.order_id;
