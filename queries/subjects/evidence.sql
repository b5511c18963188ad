-- What the orders of each exported (category, normalized address, street) say beyond the
-- address, for grouping: 'c:' and the key of each caller (caller_key.sql: the same phone
-- however written), 'o:' and each order id an order is linked to or from (order_links.sql:
-- by 关联工单 or by an id its text writes). Only the rows of files after $1 (0: all). Needs
-- the caller_key and order_links macros.
-- One row per exported address, its evidence joined by the unit separator (U+001F): a
-- million orders' callers read without a copy of their address each.
WITH rows AS (
    SELECT w.category, coalesce(h.address_norm, w.address_norm) AS address_norm,
           coalesce(w.street, '') AS street, w.order_id, w.caller_phone
    FROM work_orders w
    LEFT JOIN subject_hints h USING (order_id)
    WHERE w.file_id > $1
),
links AS MATERIALIZED (SELECT * FROM order_links()),
said AS (
SELECT DISTINCT category, address_norm, street, 'c:' || caller_key(caller_phone) AS evidence
FROM rows
WHERE caller_key(caller_phone) IS NOT NULL
UNION
SELECT r.category, r.address_norm, r.street, 'o:' || l.named
FROM rows r
JOIN links l USING (order_id)
UNION
SELECT r.category, r.address_norm, r.street, 'o:' || r.order_id
FROM rows r
WHERE EXISTS (SELECT 1 FROM links l WHERE l.named = r.order_id))
SELECT category, address_norm, street, string_agg(evidence, chr(31) ORDER BY evidence)
FROM said
GROUP BY ALL;
