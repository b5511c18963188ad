-- Numbers the orders of facts_keyed (facts.sql) into episodes and stores them, with their
-- subject's integer id from fact_subjects (facts_subjects.sql, made first), as the table
-- order_facts. The subject's key and category stay in fact_subjects.
--
-- A subject's orders, by (received_at, order_id), are split into episodes: a new one
-- starts when the gap since the previous order of the subject is more than quiet_days days
-- of 24 hours (a gap of exactly quiet_days keeps one episode). The orders counted as of T
-- are those received before T, so they are the first orders of each subject in that
-- order, and an order's episode number and its position in the episode (seq) are the same
-- at every T at which it counts: they are worked out here once, over all orders.
-- The windows sort an integer subject id and only the columns they need: sorting long
-- subject keys with every order's text was most of the time.
-- Parameters: $1 = quiet_days.
CREATE OR REPLACE TABLE order_facts AS
WITH flagged AS (
    SELECT
        s.sid,
        k.order_id,
        row_number() OVER subject AS rn,
        CASE
            WHEN lag(k.received_at) OVER subject IS NULL THEN 1
            WHEN epoch(k.received_at) - epoch(lag(k.received_at) OVER subject) > $1 * 86400 THEN 1
            ELSE 0
        END AS starts_episode
    FROM facts_keyed k
    JOIN fact_subjects s USING (subject_key)
    WINDOW subject AS (PARTITION BY s.sid ORDER BY k.received_at, k.order_id)
),
episodes AS (
    SELECT
        f.sid,
        f.order_id,
        sum(f.starts_episode) OVER running AS episode_no,
        -- Position inside the episode: rows since the latest episode start.
        f.rn - max(CASE WHEN f.starts_episode = 1 THEN f.rn END) OVER running + 1 AS seq
    FROM flagged f
    WINDOW running AS (
        PARTITION BY f.sid ORDER BY f.rn
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    )
)
SELECT k.* EXCLUDE (subject_key, subject_category), e.sid, e.episode_no, e.seq
FROM facts_keyed k
JOIN episodes e USING (order_id);
