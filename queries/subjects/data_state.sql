-- What the stored grouping depends on in the data: the last file loaded. A new file (and
-- only a new file) can bring addresses the grouping has not seen.
SELECT coalesce(max(file_id), 0) FROM ingested_files;
