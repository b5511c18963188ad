-- Every handling entry of the report's cases written before its instant, oldest first
-- (a correction is a later entry). Reads report_cases, case_handling and report_params.
SELECT h.case_id, h.written_at, h.measures, h.responsible, h.result, h.return_visit,
       h.author
FROM case_handling h
JOIN report_cases c ON c.case_id = h.case_id, report_params p
WHERE h.written_at < p.period_end
ORDER BY h.case_id, h.written_at, h.entry_id;
