-- The id for the next ingested file.
SELECT coalesce(max(file_id), 0) + 1 FROM ingested_files;
