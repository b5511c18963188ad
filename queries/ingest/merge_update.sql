-- Applies the staged file to orders already stored: the newer row replaces every column the
-- file has; a column the file lacks keeps its stored value.
-- Parameters: $1..$10 = whether the file has channel, street, community, content,
-- caller_name, caller_phone, handler_unit, status, closed_at, related_order_id;
-- $11 = the file's file_id.
UPDATE work_orders AS w SET
    received_at      = s.received_at,
    category         = s.category,
    address          = s.address,
    address_norm     = s.address_norm,
    channel          = CASE WHEN $1  THEN s.channel          ELSE w.channel END,
    street           = CASE WHEN $2  THEN s.street           ELSE w.street END,
    community        = CASE WHEN $3  THEN s.community        ELSE w.community END,
    content          = CASE WHEN $4  THEN s.content          ELSE w.content END,
    caller_name      = CASE WHEN $5  THEN s.caller_name      ELSE w.caller_name END,
    caller_phone     = CASE WHEN $6  THEN s.caller_phone     ELSE w.caller_phone END,
    handler_unit     = CASE WHEN $7  THEN s.handler_unit     ELSE w.handler_unit END,
    status           = CASE WHEN $8  THEN s.status           ELSE w.status END,
    closed_at        = CASE WHEN $9  THEN s.closed_at        ELSE w.closed_at END,
    related_order_id = CASE WHEN $10 THEN s.related_order_id ELSE w.related_order_id END,
    file_id          = $11,
    source_row       = s.source_row
FROM stage_orders AS s
WHERE w.order_id = s.order_id;
