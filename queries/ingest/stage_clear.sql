-- Empties the staging table once a chunk of the file is merged.
DELETE FROM stage_orders;
