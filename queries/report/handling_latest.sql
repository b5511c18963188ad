-- The latest handling entry of each case of the report written before its instant, for
-- the ledger's cases. Reads report_cases.
SELECT case_id, handling_written_at AS written_at, handling_measures AS measures,
       handling_responsible AS responsible, handling_result AS result,
       handling_return_visit AS return_visit, handling_author AS author
FROM report_cases
WHERE handling_written_at IS NOT NULL
ORDER BY case_id;
