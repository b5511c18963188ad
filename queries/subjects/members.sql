-- The orders of one subject with the address as written and why each is in it: its
-- address's place (same address, matched, admin decision), or 关联工单 naming an order of the
-- subject (linked); and, when its address names no place, where its place was found
-- (subject_hints: the source and the place as written). Reads asof_orders made for all
-- time (analysis/asof_views.sql), so an order is where the analysis counts it.
-- Parameters: $1 = the subject key.
SELECT w.order_id, w.received_at, w.category, w.address, w.address_norm,
       coalesce(m.reason, 'itself'), m.matched_with, m.match_on, m.score, w.related_order_id,
       coalesce(m.subject_category || '|' || m.subject_address,
                o.subject_category || '|' || w.address_norm) <> o.subject_key AS linked,
       h.source, h.address_raw
FROM asof_orders o
JOIN work_orders w USING (order_id)
LEFT JOIN subject_hints h USING (order_id)
LEFT JOIN subject_map m
    ON m.raw_category = w.category AND m.own_address = coalesce(h.address_norm, w.address_norm)
   AND m.street = coalesce(w.street, '')
WHERE o.subject_key = $1
ORDER BY w.received_at, w.order_id;
