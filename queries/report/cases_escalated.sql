-- Warning cases that reached yellow or red in the period, with their place (for the named
-- lead). Reads report_cases and report_params.
SELECT c.case_id, c.tier, c.lead_role, c.category, c.address, c.count,
       CASE WHEN c.red_at >= p.period_start THEN c.red_at ELSE c.yellow_at END AS escalated_at,
       c.status, c.street, c.handler_unit
FROM report_cases c, report_params p
WHERE c.yellow_at >= p.period_start OR c.red_at >= p.period_start
ORDER BY c.count DESC, c.case_id;
