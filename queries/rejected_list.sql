-- The rejected rows, oldest file first, in file order.
-- Parameters: $1 = a file name to keep only its rows, or NULL for all.
SELECT f.file_name, coalesce(r.sheet, ''), r.row_number, r.reason, r.reason_code,
       strftime(f.ingested_at, '%Y-%m-%d %H:%M:%S'), r.raw_values
FROM rejected_rows r
JOIN ingested_files f USING (file_id)
WHERE $1 IS NULL OR f.file_name = $1 OR f.path = $1
ORDER BY r.file_id, r.row_number;
