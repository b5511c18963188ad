-- The exported (category, normalized address, street) the stored grouping has not placed
-- yet, with their number of orders and one address as written: what the files after the
-- last placed one brought (an order whose address changed was restated by such a file);
-- an order whose content names its place (subject_hints) by that place.
-- $1: the last file placed.
SELECT w.category, coalesce(h.address_norm, w.address_norm) AS address_norm,
       coalesce(w.street, '') AS street, count(*) AS orders,
       min(coalesce(h.address_raw, w.address)) AS address
FROM work_orders w
LEFT JOIN subject_hints h USING (order_id)
WHERE w.file_id > $1
  AND NOT EXISTS (SELECT 1 FROM subject_map m
                  WHERE m.raw_category = w.category
                    AND m.own_address = coalesce(h.address_norm, w.address_norm)
                    AND m.street = coalesce(w.street, ''))
GROUP BY ALL
ORDER BY 1, 2, 3;
