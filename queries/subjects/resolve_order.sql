-- The subject of one order. Parameters: $1 = order_id.
SELECT m.subject_category, m.subject_address
FROM work_orders w
JOIN subject_map m ON m.raw_category = w.category AND m.address_norm = w.address_norm
WHERE w.order_id = $1;
