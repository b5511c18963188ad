-- Why each order of a case is in it, without working out every order's subject: the
-- case's order ids are known (the analysis put them there), so only its place in
-- subject_map (same address, matched, admin decision) is read; an order whose own place is
-- not the case's subject is in it through a link (关联工单). Same columns as
-- subjects/members.sql. Reads the temporary table console_order_ids(order_id).
-- Parameters: $1 = the case's subject key, $2 = fuzzy matching (subject_map places
-- orders; with exact matching an order's place is its own address).
SELECT w.order_id, w.received_at, w.category, w.address, w.address_norm,
       coalesce(m.reason, 'itself'), m.matched_with, m.match_on, m.score, w.related_order_id,
       coalesce(CASE WHEN $2 THEN m.subject_category || '|' || m.subject_address END,
                coalesce(a.canonical, w.category) || '|' || w.address_norm) <> $1 AS linked
FROM work_orders w
JOIN console_order_ids c ON c.order_id = w.order_id
LEFT JOIN rule_category_alias a ON a.alias = w.category
LEFT JOIN subject_map m
    ON m.raw_category = w.category AND m.address_norm = w.address_norm
ORDER BY w.received_at, w.order_id;
