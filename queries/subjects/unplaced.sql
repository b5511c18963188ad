-- The exported (category, normalized address) pairs the stored grouping has not placed
-- yet, with their number of orders: what the files after the last placed one brought
-- (an order whose address changed was restated by such a file). $1: the last file placed.
SELECT w.category, w.address_norm, count(*) AS orders
FROM work_orders w
WHERE w.file_id > $1
  AND NOT EXISTS (SELECT 1 FROM subject_map m
                  WHERE m.raw_category = w.category AND m.address_norm = w.address_norm)
GROUP BY w.category, w.address_norm
ORDER BY w.category, w.address_norm;
