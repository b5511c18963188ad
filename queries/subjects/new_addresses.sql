-- The (category, address as written) of the orders of the files after $1: the names they
-- give places are known when the places their complaints name are read.
SELECT DISTINCT w.category, w.address
FROM work_orders w
WHERE w.file_id > $1;
