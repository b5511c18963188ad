-- How many staged orders are stored already, and the span of received_at in the chunk.
-- Reads only the order ids of work_orders: when nothing is known (rows staged only for a
-- hash collision) the merge inserts the chunk without comparing any column.
SELECT
    (SELECT count(*) FROM stage_orders s SEMI JOIN work_orders w ON w.order_id = s.order_id),
    (SELECT count(*) FROM stage_orders),
    (SELECT min(received_at) FROM stage_orders),
    (SELECT max(received_at) FROM stage_orders);
