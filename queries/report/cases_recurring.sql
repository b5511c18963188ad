-- Recurring warning cases (their subject had an earlier warning case) that are active at
-- the period's end or were registered in it. Reads asof_cases and report_params.
SELECT c.case_id, c.tier, c.category, c.address, c.count, c.first_received_at, c.status
FROM asof_cases c, report_params p
WHERE c.recurring AND (c.status <> 'cleared' OR c.registered_at >= p.period_start)
ORDER BY c.count DESC, c.case_id;
