-- The (category, address as written) of the orders of the files after $1 that the stored
-- grouping has not placed yet: the names they give places are known when the places their
-- complaints name are read (those of the placed ones are in subject_blocks).
SELECT DISTINCT w.category, w.address
FROM work_orders w
WHERE w.file_id > $1
  AND NOT EXISTS (SELECT 1 FROM subject_map m
                  WHERE m.raw_category = w.category
                    AND m.own_address = w.address_norm
                    AND m.street = coalesce(w.street, ''));
