-- Keeps a row that could not be used, with the reason.
-- Parameters: $1 file_id, $2 sheet, $3 row number, $4 reason code, $5 reason, $6 raw values (JSON).
INSERT INTO rejected_rows (file_id, sheet, row_number, reason_code, reason, raw_values)
VALUES ($1, $2, $3, $4, $5, $6);
