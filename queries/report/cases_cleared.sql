-- Warning cases cancelled (cleared) in the period. Reads asof_cases and report_params.
SELECT c.case_id, c.tier, c.category, c.address, c.count, c.last_received_at, c.cleared_at
FROM asof_cases c, report_params p
WHERE c.cleared_at >= p.period_start
ORDER BY c.cleared_at, c.case_id;
