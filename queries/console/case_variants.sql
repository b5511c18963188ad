-- The ways a case's place was written: each normalized address among the case's orders,
-- with why it is in the case as case_members.sql says for its earliest order, and how
-- many orders wrote it. The columns of subjects/members.sql, then the count. Reads the
-- temporary table console_order_ids(order_id). Parameters: $1 = the case's subject key,
-- $2 = fuzzy matching.
SELECT order_id, received_at, category, address, address_norm, reason, matched_with,
       match_on, score, related_order_id, linked, orders
FROM (
    SELECT w.order_id, w.received_at, w.category, w.address, w.address_norm,
           coalesce(m.reason, 'itself') AS reason, m.matched_with, m.match_on, m.score,
           w.related_order_id,
           coalesce(CASE WHEN $2 THEN m.subject_category || '|' || m.subject_address END,
                    coalesce(a.canonical, w.category) || '|' || w.address_norm) <> $1 AS linked,
           count(*) OVER (PARTITION BY w.address_norm) AS orders,
           row_number() OVER (PARTITION BY w.address_norm ORDER BY w.received_at, w.order_id) AS k
    FROM work_orders w
    JOIN console_order_ids c ON c.order_id = w.order_id
    LEFT JOIN rule_category_alias a ON a.alias = w.category
    LEFT JOIN subject_map m
        ON m.raw_category = w.category AND m.address_norm = w.address_norm
)
WHERE k = 1
ORDER BY address_norm;
