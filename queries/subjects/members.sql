-- The orders of one subject with the address as written and why it is in the subject.
-- Parameters: $1 subject category, $2 subject address (the representative).
SELECT w.order_id, w.received_at, w.category, w.address, m.address_norm, m.reason,
       m.matched_with, m.match_on, m.score, w.related_order_id
FROM work_orders w
JOIN subject_map m ON m.raw_category = w.category AND m.address_norm = w.address_norm
WHERE m.subject_category = $1 AND m.subject_address = $2
ORDER BY w.received_at, w.order_id;
