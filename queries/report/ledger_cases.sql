-- The ledger (台账): every warning case active at T or registered or cleared in the
-- period, most serious first, with its place (for its named lead), latest handling
-- entry and caller figures. Reads report_cases and report_params.
SELECT c.case_id, c.tier, c.lead_role, c.category, c.address, c.count, c.first_received_at,
       c.last_received_at, c.registered_at, c.yellow_at, c.red_at, c.status, c.cleared_at,
       c.handling_mode, c.recurring, c.street, c.handler_unit, c.handling_measures,
       c.handling_responsible, c.handling_result, c.handling_return_visit, c.handling_author,
       c.handling_written_at, c.callers, c.no_phone, c.top_caller_complaints,
       c.top_caller_share
FROM report_cases c, report_params p
WHERE c.status <> 'cleared' OR c.registered_at >= p.period_start OR c.cleared_at >= p.period_start
ORDER BY CASE c.tier WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, c.count DESC, c.case_id;
