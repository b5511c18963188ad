-- Every handling entry of the report's cases written before its instant, oldest first
-- (a correction is a later entry). Reads report_case_entries (report_cases.sql).
SELECT case_id, written_at, measures, responsible, result, return_visit, author
FROM report_case_entries
ORDER BY case_id, written_at, entry_id;
