-- Warning cases active at the period's end (handling or under monitoring), red first,
-- with their place (for the named lead), latest handling entry and caller figures. Reads
-- report_cases.
SELECT case_id, tier, lead_role, category, address, count, last_received_at, status,
       handling_mode, recurring, street, handler_unit, handling_measures, handling_result,
       handling_written_at, callers, no_phone, top_caller_complaints, top_caller_share
FROM report_cases
WHERE status <> 'cleared'
ORDER BY CASE tier WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, count DESC, case_id;
