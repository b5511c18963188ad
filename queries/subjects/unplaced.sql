-- The exported (category, normalized address, street) the stored grouping has not placed
-- yet, with their number of orders and one address as written: what the files after the
-- last placed one brought (an order whose address changed was restated by such a file).
-- $1: the last file placed.
SELECT w.category, w.address_norm, coalesce(w.street, '') AS street, count(*) AS orders,
       min(w.address) AS address
FROM work_orders w
WHERE w.file_id > $1
  AND NOT EXISTS (SELECT 1 FROM subject_map m
                  WHERE m.raw_category = w.category AND m.own_address = w.address_norm
                    AND m.street = coalesce(w.street, ''))
GROUP BY w.category, w.address_norm, coalesce(w.street, '')
ORDER BY w.category, w.address_norm, street;
