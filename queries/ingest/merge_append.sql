-- Adds a staged chunk none of whose orders is stored yet (see stage_known.sql).
-- Parameters: $1 = the file's file_id.
INSERT INTO work_orders
SELECT
    s.order_id, s.received_at, s.category, s.address, s.address_norm,
    s.channel, s.street, s.community, s.content, s.caller_name, s.caller_phone,
    s.handler_unit, s.status, s.closed_at, s.related_order_id,
    $1 AS file_id, s.source_row, $1 AS first_file_id
FROM stage_orders AS s;
