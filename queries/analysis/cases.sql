-- Warning cases as of T: every episode whose count reached the green threshold, with its
-- tier and lead role (from rule_tier), milestones, status and handling mode. Materialized as the temp table
-- asof_cases (one row per case, with the subject id and episode number that join it to
-- its orders in asof_episode_orders). Reads asof_episode_orders and asof_subjects.
-- Parameters: $1 = T, $2 = green, $3 = yellow, $4 = red, $5 = quiet_days.
CREATE OR REPLACE TEMP TABLE asof_cases AS
WITH episodes AS (
    SELECT
        sid,
        episode_no,
        count(*) AS order_count,
        arg_min(order_id, seq) AS case_id,
        min(received_at) AS first_received_at,
        max(received_at) AS last_received_at,
        max(received_at) FILTER (WHERE seq = $2) AS registered_at,
        max(received_at) FILTER (WHERE seq = $3) AS yellow_at,
        max(received_at) FILTER (WHERE seq = $4) AS red_at,
        bool_and(is_closed) AS all_closed,
        max(closed_at) FILTER (WHERE closed_at < $1) AS latest_closed_at,
        max(mode_rank) AS mode_rank
    FROM asof_episode_orders
    GROUP BY sid, episode_no
),
warning_episodes AS (
    SELECT *
    FROM (
        SELECT
            e.*,
            -- An earlier episode of the same subject that was itself a warning case.
            max(CASE WHEN e.order_count >= $2 THEN e.episode_no END) OVER (
                PARTITION BY e.sid ORDER BY e.episode_no
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ) IS NOT NULL AS recurring
        FROM episodes e
        WHERE e.sid IN (SELECT sid FROM episodes WHERE order_count >= $2)
    )
    WHERE order_count >= $2
),
addresses AS (
    -- The most frequent original address of each warning episode; ties go to the earliest.
    SELECT DISTINCT ON (sid, episode_no) sid, episode_no, address
    FROM (
        SELECT eo.sid, eo.episode_no, eo.address, count(*) AS n, min(eo.seq) AS first_seq
        FROM asof_episode_orders eo
        JOIN warning_episodes w USING (sid, episode_no)
        GROUP BY eo.sid, eo.episode_no, eo.address
    )
    ORDER BY sid, episode_no, n DESC, first_seq
)
SELECT
    w.case_id,
    s.subject_key,
    s.subject_category AS category,
    a.address,
    t.tier,
    t.lead_role,
    w.order_count AS count,
    w.first_received_at,
    w.last_received_at,
    w.registered_at,
    w.yellow_at,
    w.red_at,
    CASE
        WHEN NOT w.all_closed THEN 'in_progress'
        WHEN epoch($1::TIMESTAMP) - epoch(w.last_received_at) <= $5 * 86400 THEN 'monitoring'
        ELSE 'cleared'
    END AS status,
    CASE
        WHEN w.all_closed AND epoch($1::TIMESTAMP) - epoch(w.last_received_at) > $5 * 86400
            THEN greatest(w.last_received_at + to_days(CAST($5 AS INTEGER)),
                          coalesce(w.latest_closed_at, w.last_received_at))
    END AS cleared_at,
    CASE w.mode_rank WHEN 3 THEN 'special' WHEN 2 THEN 'joint' ELSE 'immediate' END AS handling_mode,
    w.recurring,
    w.sid,
    w.episode_no
FROM warning_episodes w
JOIN asof_subjects s USING (sid)
JOIN addresses a USING (sid, episode_no)
-- The tier and its lead, from the rules the program wrote (rule_tier).
JOIN rule_tier t ON w.order_count >= t.from_count AND w.order_count < t.below_count;
