-- The warning cases as of T (asof_cases), in the column order of `cases --format csv`,
-- by case_id.
SELECT
    case_id, subject_key, category, address, tier, lead_role, count, first_received_at,
    last_received_at, registered_at, yellow_at, red_at, status, cleared_at, handling_mode,
    recurring
FROM asof_cases
ORDER BY case_id;
