-- Warning cases registered in the period, most serious first. Reads asof_cases and
-- report_params.
SELECT c.case_id, c.tier, c.lead_role, c.category, c.address, c.count, c.registered_at,
       c.status, c.handling_mode, c.recurring
FROM asof_cases c, report_params p
WHERE c.registered_at >= p.period_start
ORDER BY c.count DESC, c.case_id;
