-- What the orders of each exported (category, normalized address, street) say beyond the
-- address, for grouping: 'c:' and the key of each caller (caller_key.sql: the same phone
-- however written), 'o:' and each order id that 关联工单 links it to or from (both orders
-- stored). Only the rows of files after $1 (0: all). Needs the caller_key macro.
-- One row per exported address, its evidence joined by the unit separator (U+001F): a
-- million orders' callers read without a copy of their address each.
WITH rows AS (
    SELECT w.category, coalesce(h.address_norm, w.address_norm) AS address_norm,
           coalesce(w.street, '') AS street, w.order_id, w.related_order_id, w.caller_phone
    FROM work_orders w
    LEFT JOIN subject_hints h USING (order_id)
    WHERE w.file_id > $1
),
said AS (
SELECT DISTINCT category, address_norm, street, 'c:' || caller_key(caller_phone) AS evidence
FROM rows
WHERE caller_key(caller_phone) IS NOT NULL
UNION
SELECT category, address_norm, street, 'o:' || related_order_id
FROM rows r
WHERE related_order_id IS NOT NULL AND related_order_id <> order_id
  AND EXISTS (SELECT 1 FROM work_orders p WHERE p.order_id = r.related_order_id)
UNION
SELECT category, address_norm, street, 'o:' || order_id
FROM rows r
WHERE EXISTS (SELECT 1 FROM work_orders c
              WHERE c.related_order_id = r.order_id AND c.order_id <> r.order_id))
SELECT category, address_norm, street, string_agg(evidence, chr(31) ORDER BY evidence)
FROM said
GROUP BY ALL;
