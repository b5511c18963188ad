-- The orders of the files after $1 (0: all), with their address as written and
-- normalized, their complaint's text ('' for none) and their category; only those whose
-- normalized address is in vague_addresses when $2 (the whole grouping names them), else
-- all. Those whose address names no place read it from their text, or from their caller.
SELECT w.order_id, w.address, coalesce(w.content, ''), w.category
FROM work_orders w
WHERE w.file_id > $1
  AND (NOT $2 OR w.address_norm IN (SELECT address_norm FROM vague_addresses));
