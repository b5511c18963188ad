-- Who complained in each warning case at T: one row per case and caller (caller_key of the
-- order's stored 联系电话; NULL for the orders that left no phone, 未留电话) with how many
-- of the case's orders (its episode's, as the analysis counts them) that caller made.
-- Materialized as the temp table asof_case_callers. Reads asof_cases and
-- asof_episode_orders (whose caller is made with the stored facts).
-- Parameters: $1 = whether callers are counted at all (false: the table is left empty).
CREATE OR REPLACE TEMP TABLE asof_case_callers AS
SELECT c.case_id, e.caller, count(*)::BIGINT AS complaints
FROM asof_cases c
JOIN asof_episode_orders e USING (sid, episode_no)
WHERE $1
GROUP BY ALL;
