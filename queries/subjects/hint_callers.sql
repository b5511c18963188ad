-- For the orders in caller_candidates (their address and text name no place), the other
-- orders of the same caller, each (category as exported, address as written) once: the
-- place their text names when one was read. A caller of more than $1 orders (a shared or
-- placeholder number) is left out. Needs the caller_key macro.
WITH mine AS (
    SELECT w.order_id, w.address, w.category, caller_key(w.caller_phone) AS caller
    FROM work_orders w
    JOIN caller_candidates c USING (order_id)
    WHERE caller_key(w.caller_phone) IS NOT NULL
),
theirs AS (
    SELECT o.order_id, o.category, caller_key(o.caller_phone) AS caller,
           coalesce(h.address_raw, o.address) AS address
    FROM work_orders o
    LEFT JOIN subject_hints h USING (order_id)
    WHERE caller_key(o.caller_phone) IN (SELECT caller FROM mine)
),
few AS (
    SELECT caller FROM theirs GROUP BY caller HAVING count(*) <= $1
)
SELECT DISTINCT m.order_id, m.address, m.category, t.category, t.address
FROM mine m
JOIN few f USING (caller)
JOIN theirs t ON t.caller = m.caller AND t.order_id <> m.order_id
ORDER BY ALL;
