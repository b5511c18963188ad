-- Orders received on each day of the period, beside the same weekday of the period
-- before. Reads asof_orders and report_params.
WITH days AS (
    SELECT d AS day
    FROM report_params p, range(p.period_start, p.period_end, INTERVAL 1 DAY) t(d)
),
counts AS (
    SELECT date_trunc('day', o.received_at) AS day, count(*) AS n
    FROM asof_orders o, report_params p
    WHERE o.received_at >= p.prev_start
    GROUP BY ALL
)
SELECT
    month(d.day) || '月' || day(d.day) || '日 ' || ['周一','周二','周三','周四','周五','周六','周日'][isodow(d.day)] AS day,
    coalesce(cur.n, 0) AS this_period,
    coalesce(prev.n, 0) AS previous_period
FROM days d
LEFT JOIN counts cur ON cur.day = d.day
LEFT JOIN counts prev ON prev.day = d.day - INTERVAL 7 DAY
ORDER BY d.day;
