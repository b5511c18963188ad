-- The subjects with the most complaints received in the period (top 10), with their tier
-- when they are a warning case. Reads asof_episode_orders, asof_subjects, asof_orders,
-- asof_cases and report_params.
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
)
SELECT
    s.subject_category AS category,
    a.address,
    sum(c.received) AS received,
    arg_max(k.tier, k.count) AS tier
FROM counts c
JOIN asof_subjects s USING (sid)
JOIN addresses a USING (sid)
LEFT JOIN asof_cases k ON k.sid = c.sid AND k.episode_no = c.episode_no
GROUP BY s.subject_key, s.subject_category, a.address
ORDER BY received DESC, s.subject_key
LIMIT 10;
