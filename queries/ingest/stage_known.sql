-- How many staged orders are stored already, and the span of received_at in the chunk.
-- Reads only the order ids of work_orders: when nothing is known (a first load, or a
-- file of new orders) the merge appends the chunk without comparing any column.
SELECT
    (SELECT count(*) FROM stage_orders s SEMI JOIN work_orders w ON w.order_id = s.order_id),
    (SELECT count(*) FROM stage_orders),
    (SELECT min(received_at) FROM stage_orders),
    (SELECT max(received_at) FROM stage_orders);
