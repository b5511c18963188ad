-- Who complained in each warning case at T: one row per case and caller (caller_key of the
-- order's stored 联系电话; NULL for the orders that left no phone, 未留电话) with how many
-- of the case's orders (its episode's, as the analysis counts them) that caller made.
-- Materialized as the temp table asof_case_callers. Reads asof_cases, asof_episode_orders
-- and work_orders; needs the caller_key macro (caller_key.sql). Each phone as written is
-- normalized once per case, however often it called.
-- Parameters: $1 = whether callers are counted at all (false: the table is left empty).
CREATE OR REPLACE TEMP TABLE asof_case_callers AS
WITH written AS (
    SELECT c.case_id, w.caller_phone, count(*) AS complaints
    FROM asof_cases c
    JOIN asof_episode_orders e USING (sid, episode_no)
    JOIN work_orders w ON w.order_id = e.order_id
    WHERE $1
    GROUP BY ALL
)
SELECT case_id, caller_key(caller_phone) AS caller, sum(complaints)::BIGINT AS complaints
FROM written
GROUP BY ALL;
