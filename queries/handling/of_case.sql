-- A case's handling entries, oldest first. $1 case_id.
SELECT entry_id, case_id, measures, responsible, result, return_visit, author, written_at
FROM case_handling
WHERE case_id = $1
ORDER BY written_at, entry_id;
