-- The case a case sheet (案件单) is about, as a one-row temp table its datasets read; NULL
-- for the other reports, whose sheet datasets are then empty. Parameters: $1 case_id.
CREATE OR REPLACE TEMP TABLE sheet_params AS SELECT $1::VARCHAR AS case_id;
