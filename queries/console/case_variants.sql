-- The ways a case's place was written: each normalized address among the case's orders
-- (console_case_orders, case_orders_of.sql), with why it is in the case as
-- case_members.sql says for its earliest order, and how many orders wrote it. The columns
-- of subjects/members.sql, then the count. Parameters: $1 = the case's subject key,
-- $2 = fuzzy matching.
WITH firsts AS (
    SELECT min({'at': received_at, 'id': order_id}).id AS order_id, count(*) AS orders
    FROM console_case_orders
    GROUP BY address_norm
)
SELECT o.order_id, o.received_at, o.raw_category, o.address, o.address_norm,
       coalesce(m.reason, 'itself') AS reason, m.matched_with, m.match_on, m.score,
       o.related_order_id,
       coalesce(CASE WHEN $2 THEN m.subject_category || '|' || m.subject_address END,
                coalesce(a.canonical, o.raw_category) || '|' || o.address_norm) <> $1 AS linked,
       f.orders
FROM firsts f
JOIN console_case_orders o USING (order_id)
LEFT JOIN rule_category_alias a ON a.alias = o.raw_category
LEFT JOIN subject_map m
    ON m.raw_category = o.raw_category AND m.own_address = o.address_norm
   AND m.street = o.street
ORDER BY o.address_norm;
