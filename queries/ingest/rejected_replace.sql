-- A file loaded again (`ingest --again`): the rows its earlier loads set aside were read
-- again with it, so their old records go; those still unusable are recorded anew under the
-- new load. Parameters: $1 = the file's SHA-256, $2 = the new load's file_id.
DELETE FROM rejected_rows
WHERE file_id IN (SELECT file_id FROM ingested_files WHERE sha256 = $1 AND file_id <> $2);
