-- The export files that supplied the current state of the orders a report counts (those
-- received from $1 up to the period's end), with their hashes: the provenance of the
-- report. Reads work_orders, ingested_files and report_params.
-- Parameters: $1 = start of the data window.
SELECT f.file_name, f.sha256, f.rows_loaded, f.rows_rejected, f.data_from, f.data_to,
       f.ingested_at
FROM ingested_files f
WHERE f.file_id IN (
    SELECT DISTINCT w.file_id
    FROM work_orders w, report_params p
    WHERE w.received_at >= $1 AND w.received_at < p.period_end
)
ORDER BY f.file_id;
