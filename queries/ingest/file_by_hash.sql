-- The earlier load of a file with the same content, if any.
-- Parameters: $1 = SHA-256 of the file's bytes (hex).
SELECT file_id, path, strftime(ingested_at, '%Y-%m-%d %H:%M:%S')
FROM ingested_files
WHERE sha256 = $1
ORDER BY file_id
LIMIT 1;
