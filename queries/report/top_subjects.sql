-- The subjects with the most complaints received in the period (top 10), with their tier
-- when they are a warning case, and who made those complaints: how many different callers
-- (by phone, caller_key), how many left no phone (未留电话), and the complaints of the most
-- frequent caller with their share of the subject's complaints in the period. Reads
-- asof_episode_orders (with each order's caller), asof_subjects, asof_orders, asof_cases
-- and report_params.
WITH counts AS (
    SELECT e.sid, e.episode_no, count(*) AS received
    FROM asof_episode_orders e, report_params p
    WHERE e.received_at >= p.period_start
    GROUP BY ALL
),
addresses AS (
    SELECT DISTINCT ON (e.sid) e.sid, o.address
    FROM asof_episode_orders e
    JOIN asof_orders o USING (order_id)
    WHERE e.sid IN (SELECT sid FROM counts)
    ORDER BY e.sid, e.received_at DESC, e.order_id
),
top AS (
    SELECT
        c.sid,
        s.subject_key,
        s.subject_category AS category,
        a.address,
        sum(c.received) AS received,
        arg_max(k.tier, k.count) AS tier
    FROM counts c
    JOIN asof_subjects s USING (sid)
    JOIN addresses a USING (sid)
    LEFT JOIN asof_cases k ON k.sid = c.sid AND k.episode_no = c.episode_no
    GROUP BY c.sid, s.subject_key, s.subject_category, a.address
    ORDER BY received DESC, s.subject_key
    LIMIT 10
),
by_caller AS (
    SELECT e.sid, e.caller, count(*) AS complaints
    FROM asof_episode_orders e, report_params p
    WHERE e.received_at >= p.period_start AND e.sid IN (SELECT sid FROM top)
    GROUP BY ALL
),
callers AS (
    SELECT
        sid,
        count(caller) AS callers,
        coalesce(sum(complaints) FILTER (WHERE caller IS NULL), 0)::BIGINT AS no_phone,
        max(complaints) FILTER (WHERE caller IS NOT NULL) AS top_caller_complaints
    FROM by_caller
    GROUP BY sid
)
SELECT
    t.category,
    t.address,
    t.received,
    t.tier,
    k.callers,
    k.no_phone,
    k.top_caller_complaints,
    k.top_caller_complaints / t.received AS top_caller_share
FROM top t
LEFT JOIN callers k USING (sid)
ORDER BY t.received DESC, t.subject_key;
