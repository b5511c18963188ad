-- The orders of the files after $1 (0: all) that have a content to read a place from, with
-- their address as written and normalized and their category; only those whose normalized
-- address is in vague_addresses when $2 (the whole grouping names them), else all.
SELECT w.order_id, w.address, w.content, w.category
FROM work_orders w
WHERE w.file_id > $1
  AND length(w.content) >= 6
  AND (NOT $2 OR w.address_norm IN (SELECT address_norm FROM vague_addresses));
