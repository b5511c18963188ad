-- The 12 months up to the period's end: orders received and warning cases registered in
-- each. Reads asof_orders, asof_cases and report_params.
WITH months AS (
    SELECT m AS month_start
    FROM report_params p, range(p.trend_start, p.period_end, INTERVAL 1 MONTH) t(m)
),
received AS (
    SELECT date_trunc('month', received_at) AS month_start, count(*) AS n
    FROM asof_orders, report_params p
    WHERE received_at >= p.trend_start
    GROUP BY ALL
),
registered AS (
    SELECT date_trunc('month', registered_at) AS month_start, count(*) AS n
    FROM asof_cases, report_params p
    WHERE registered_at >= p.trend_start
    GROUP BY ALL
)
SELECT
    -- The year is written on the first month and on each January.
    CASE WHEN m.month_start = (SELECT trend_start FROM report_params) OR month(m.month_start) = 1
         THEN year(m.month_start) || '年' || month(m.month_start) || '月'
         ELSE month(m.month_start) || '月' END AS month,
    coalesce(r.n, 0) AS received,
    coalesce(c.n, 0) AS new_cases
FROM months m
LEFT JOIN received r USING (month_start)
LEFT JOIN registered c USING (month_start)
ORDER BY m.month_start;
