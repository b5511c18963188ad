-- Rows rejected from the export files whose data overlaps the period (or, for a file with
-- no usable row, that were loaded in it), in file order.
-- Reads rejected_rows, ingested_files and report_params.
SELECT f.file_name AS file, r.row_number AS row, r.reason
FROM rejected_rows r
JOIN ingested_files f USING (file_id), report_params p
WHERE (f.data_from < p.period_end AND f.data_to >= p.period_start)
   -- A file none of whose rows could be used has no dates: it counts where it was loaded.
   OR (f.data_from IS NULL AND f.ingested_at >= p.period_start AND f.ingested_at < p.period_end)
ORDER BY r.file_id, r.row_number;
