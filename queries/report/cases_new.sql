-- Warning cases registered in the period, most serious first, with their place (for the
-- named lead) and latest handling entry. Reads report_cases and report_params.
SELECT c.case_id, c.tier, c.lead_role, c.category, c.address, c.count, c.registered_at,
       c.status, c.handling_mode, c.recurring, c.street, c.handler_unit, c.handling_measures,
       c.handling_result, c.handling_written_at
FROM report_cases c, report_params p
WHERE c.registered_at >= p.period_start
ORDER BY c.count DESC, c.case_id;
