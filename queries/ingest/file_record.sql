-- Records a loaded file and its summary.
-- Parameters, in the order of the columns named.
INSERT INTO ingested_files (file_id, path, file_name, sha256, size_bytes, format, encoding,
                            sheet, header_row, columns, rows_read, rows_blank, rows_loaded,
                            orders_new, orders_updated, orders_same, orders_reopened,
                            rows_rejected, data_from, data_to, ingested_at, duration_ms)
VALUES
    ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22);
