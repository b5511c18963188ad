-- Orders received in the period by canonical category, with the period before.
-- Reads asof_orders and report_params.
SELECT
    o.category,
    count(*) FILTER (WHERE o.received_at >= p.period_start) AS received,
    count(*) FILTER (WHERE o.received_at < p.period_start) AS received_prev,
    count(*) FILTER (WHERE o.received_at >= p.period_start)
        - count(*) FILTER (WHERE o.received_at < p.period_start) AS change
FROM asof_orders o, report_params p
WHERE o.received_at >= p.prev_start
GROUP BY o.category
HAVING count(*) FILTER (WHERE o.received_at >= p.period_start) > 0
ORDER BY received DESC, o.category;
