-- Rows rejected from the export files whose data overlaps the period, in file order.
-- Reads rejected_rows, ingested_files and report_params.
SELECT f.file_name AS file, r.row_number AS row, r.reason
FROM rejected_rows r
JOIN ingested_files f USING (file_id), report_params p
WHERE f.data_from < p.period_end AND f.data_to >= p.period_start
ORDER BY r.file_id, r.row_number;
