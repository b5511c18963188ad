-- Adds the staged orders not stored yet.
-- Parameters: $1 = the file's file_id.
INSERT INTO work_orders (order_id, received_at, category, address, address_norm,
                         channel, street, community, content, caller_name, caller_phone,
                         handler_unit, status, closed_at, related_order_id,
                         file_id, source_row, first_file_id)
SELECT
    s.order_id, s.received_at, s.category, s.address, s.address_norm,
    s.channel, s.street, s.community, s.content, s.caller_name, s.caller_phone,
    s.handler_unit, s.status, s.closed_at, s.related_order_id,
    $1 AS file_id, s.source_row, $1 AS first_file_id
FROM stage_orders AS s
WHERE NOT EXISTS (SELECT 1 FROM work_orders AS w WHERE w.order_id = s.order_id);
