-- Splits every subject's orders (as of T, from asof_orders) into episodes and numbers the
-- orders inside each: a new episode starts when the gap since the previous order of the
-- subject is more than quiet_days days of 24 hours (a gap of exactly quiet_days keeps one
-- episode). Materialized as the temp table asof_episode_orders; reads asof_subjects
-- (subject_ids.sql).
-- The windows sort by an integer subject id and only the columns the cases need: sorting
-- long subject keys with every order's text was most of the analysis time.
-- Parameters: $1 = quiet_days.
CREATE OR REPLACE TEMP TABLE asof_episode_orders AS
WITH keyed AS (
    SELECT s.sid, o.order_id, o.received_at, o.closed_at, o.is_closed, o.mode_rank
    FROM asof_orders o
    JOIN asof_subjects s USING (subject_key)
),
flagged AS (
    SELECT
        k.*,
        row_number() OVER subject AS rn,
        CASE
            WHEN lag(k.received_at) OVER subject IS NULL THEN 1
            WHEN epoch(k.received_at) - epoch(lag(k.received_at) OVER subject) > $1 * 86400 THEN 1
            ELSE 0
        END AS starts_episode
    FROM keyed k
    WINDOW subject AS (PARTITION BY k.sid ORDER BY k.received_at, k.order_id)
)
SELECT
    f.* EXCLUDE (rn, starts_episode),
    sum(f.starts_episode) OVER running AS episode_no,
    -- Position inside the episode: rows since the latest episode start.
    f.rn - max(CASE WHEN f.starts_episode = 1 THEN f.rn END) OVER running + 1 AS seq
FROM flagged f
WINDOW running AS (
    PARTITION BY f.sid ORDER BY f.rn
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
);
