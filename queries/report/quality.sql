-- Data quality around the period (one row): the export files whose data overlaps it (a
-- file with no usable row: loaded in it), their
-- rows read and rejected, the share rejected, and when the newest stored data ends.
-- Reads ingested_files and report_params.
WITH files AS (
    SELECT f.*
    FROM ingested_files f, report_params p
    WHERE (f.data_from < p.period_end AND f.data_to >= p.period_start)
       OR (f.data_from IS NULL AND f.ingested_at >= p.period_start AND f.ingested_at < p.period_end)
)
SELECT
    (SELECT count(*) FROM files) AS files,
    (SELECT coalesce(sum(rows_read - rows_blank), 0) FROM files) AS rows_read,
    (SELECT coalesce(sum(rows_rejected), 0) FROM files) AS rows_rejected,
    (SELECT CASE WHEN coalesce(sum(rows_read - rows_blank), 0) = 0 THEN 0.0
                 ELSE sum(rows_rejected)::DOUBLE / sum(rows_read - rows_blank) END FROM files)
        AS rejected_share,
    (SELECT max(data_to) FROM ingested_files) AS latest_data_at;
