-- Appends a handling entry. $1 case_id, $2 measures, $3 responsible, $4 result,
-- $5 return_visit, $6 author, $7 written_at. Returns the new entry_id.
INSERT INTO case_handling (entry_id, case_id, measures, responsible, result, return_visit,
                           author, written_at)
SELECT coalesce(max(entry_id), 0) + 1, $1, $2, $3, $4, $5, $6, $7
FROM case_handling
RETURNING entry_id;
