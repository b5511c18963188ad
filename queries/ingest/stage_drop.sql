-- Frees the staging table once a file is merged (or abandoned).
DROP TABLE IF EXISTS stage_orders;
