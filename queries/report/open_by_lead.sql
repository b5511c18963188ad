-- The cases open at the period's end (handling or under monitoring), for the list of open
-- cases per named lead: the program names each case's lead and orders the rows by lead
-- (captain, deputy captains, group leaders, as configured). Reads report_cases.
SELECT case_id, tier, lead_role, category, address, count, last_received_at, status,
       handling_mode, street, handler_unit, handling_measures, handling_result,
       handling_written_at
FROM report_cases
WHERE status <> 'cleared'
ORDER BY CASE tier WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, count DESC, case_id;
