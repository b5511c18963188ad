-- The stored fields of the orders in console_shown (case_shown_rows.sql), fetched by where
-- they are stored (a join on rowid reads only those rows), with the id expected there
-- last: the program checks each and reads by id (case_orders.sql) if any differs.
SELECT o.order_id, o.received_at, coalesce(o.channel, ''), coalesce(o.street, ''),
       coalesce(o.community, ''), coalesce(o.handler_unit, ''), coalesce(o.status, ''),
       o.closed_at, coalesce(o.caller_name, ''), coalesce(o.caller_phone, ''),
       coalesce(o.content, ''), o.address, s.order_id AS expected
FROM work_orders o
JOIN console_shown s ON o.rowid = s.order_row
ORDER BY o.received_at, o.order_id;
