-- The case of a case sheet (案件单): one row, or none when it is not a case at T. Reads
-- asof_cases and sheet_params.
SELECT c.case_id, c.tier, c.lead_role, c.category, c.address, c.count, c.first_received_at,
       c.last_received_at, c.registered_at, c.yellow_at, c.red_at, c.status, c.cleared_at,
       c.handling_mode, c.recurring
FROM asof_cases c, sheet_params s
WHERE c.case_id = s.case_id;
