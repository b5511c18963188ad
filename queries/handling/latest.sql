-- The latest handling entry of every case that has one.
SELECT entry_id, case_id, measures, responsible, result, return_visit, author, written_at
FROM case_handling
QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY written_at DESC, entry_id DESC) = 1;
