-- The caller figures of each warning case at T: how many different callers (by phone),
-- how many of its complaints left no phone (未留电话, not counted as callers), and the
-- complaints of its most frequent caller with their share of all its complaints (NULL
-- when no complaint left a phone). Materialized as the temp table asof_case_caller_figures
-- (no row for a case when callers are not counted). Reads asof_case_callers and asof_cases.
CREATE OR REPLACE TEMP TABLE asof_case_caller_figures AS
SELECT
    k.case_id,
    count(k.caller) AS callers,
    coalesce(sum(k.complaints) FILTER (WHERE k.caller IS NULL), 0)::BIGINT AS no_phone,
    max(k.complaints) FILTER (WHERE k.caller IS NOT NULL) AS top_caller_complaints,
    max(k.complaints) FILTER (WHERE k.caller IS NOT NULL) / any_value(c.count) AS top_caller_share
FROM asof_case_callers k
JOIN asof_cases c USING (case_id)
GROUP BY k.case_id;
