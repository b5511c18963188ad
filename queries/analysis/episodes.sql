-- Splits every subject's orders (as of T, from asof_orders) into episodes and numbers the
-- orders inside each: a new episode starts when the gap since the previous order of the
-- subject is more than quiet_days days of 24 hours (a gap of exactly quiet_days keeps one
-- episode). Materialized as the temp table asof_episode_orders.
-- Parameters: $1 = quiet_days.
CREATE OR REPLACE TEMP TABLE asof_episode_orders AS
WITH gaps AS (
    SELECT
        o.*,
        CASE
            WHEN lag(o.received_at) OVER subject IS NULL THEN 1
            WHEN epoch(o.received_at) - epoch(lag(o.received_at) OVER subject) > $1 * 86400 THEN 1
            ELSE 0
        END AS starts_episode
    FROM asof_orders o
    WINDOW subject AS (PARTITION BY o.subject_key ORDER BY o.received_at, o.order_id)
),
numbered AS (
    SELECT
        g.*,
        sum(g.starts_episode) OVER (
            PARTITION BY g.subject_key ORDER BY g.received_at, g.order_id
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS episode_no
    FROM gaps g
)
SELECT
    n.*,
    row_number() OVER (
        PARTITION BY n.subject_key, n.episode_no ORDER BY n.received_at, n.order_id
    ) AS seq
FROM numbered n;
