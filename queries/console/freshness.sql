-- How fresh the data is: the newest order received, the last file loaded and when, and
-- how many orders and files there are, and the oldest order received.
SELECT (SELECT max(received_at) FROM work_orders),
       (SELECT max(ingested_at) FROM ingested_files),
       (SELECT file_name FROM ingested_files ORDER BY file_id DESC LIMIT 1),
       (SELECT count(*) FROM work_orders),
       (SELECT count(*) FROM ingested_files),
       (SELECT min(received_at) FROM work_orders);
