-- Every exported (category, normalized address, street) with its number of orders and one
-- address as written (the smallest), for grouping; an order whose content names its place
-- (subject_hints) by that place.
SELECT w.category, coalesce(h.address_norm, w.address_norm) AS address_norm,
       coalesce(w.street, '') AS street, count(*) AS orders,
       min(coalesce(h.address_raw, w.address)) AS address
FROM work_orders w
LEFT JOIN subject_hints h USING (order_id)
GROUP BY ALL
ORDER BY 1, 2, 3;
