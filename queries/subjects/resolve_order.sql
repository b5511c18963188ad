-- The subject of one order, where the analysis counts it (through 关联工单 too). Reads
-- asof_orders made for all time. Parameters: $1 = order_id.
SELECT subject_category, subject_key[length(subject_category) + 2:]
FROM asof_orders
WHERE order_id = $1;
