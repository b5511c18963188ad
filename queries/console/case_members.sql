-- Why each of the latest orders of a case is in it, without working out every order's
-- subject: the case's orders are known (console_case_orders, case_orders_of.sql), so only
-- their place in subject_map (same address, matched, admin decision) is read; an order
-- whose own place is not the case's subject is in it through a link (关联工单). Same
-- columns as subjects/members.sql, by time. Parameters: $1 = the case's subject key,
-- $2 = fuzzy matching (subject_map places orders; with exact matching an order's place
-- is its own address), $3 = how many of the latest orders, $4 = how many of the latest
-- to pass over first (a later page of the timeline). Then, as members.sql, where an
-- order's place was found when its address names none (subject_hints).
SELECT o.order_id, o.received_at, o.raw_category, o.address, o.address_norm,
       coalesce(m.reason, 'itself'), m.matched_with, m.match_on, m.score, o.related_order_id,
       coalesce(CASE WHEN $2 THEN m.subject_category || '|' || m.subject_address END,
                coalesce(a.canonical, o.raw_category) || '|' || o.address_norm) <> $1 AS linked,
       CASE WHEN $2 THEN h.source END, CASE WHEN $2 THEN h.address_raw END
FROM (
    SELECT * FROM console_case_orders ORDER BY received_at DESC, order_id DESC LIMIT $3 OFFSET $4
) o
LEFT JOIN rule_category_alias a ON a.alias = o.raw_category
LEFT JOIN subject_hints h ON h.order_id = o.order_id
LEFT JOIN subject_map m
    ON m.raw_category = o.raw_category AND m.own_address = o.address_norm
   AND m.street = o.street
ORDER BY o.received_at, o.order_id;
