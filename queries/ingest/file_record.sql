-- Records a loaded file and its summary.
-- Parameters, in column order of ingested_files.
INSERT INTO ingested_files VALUES
    ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22);
