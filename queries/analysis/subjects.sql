-- Every subject's episodes as of T (from asof_episode_orders), warning or not: for the
-- admin who asks why something is not a warning.
-- Parameters: $1 = green.
SELECT
    s.subject_key,
    e.episode_no,
    count(*) AS order_count,
    arg_min(e.order_id, e.seq) AS first_order_id,
    min(e.received_at) AS first_received_at,
    max(e.received_at) AS last_received_at,
    count(*) FILTER (WHERE NOT e.is_closed) AS open_orders,
    greatest($1 - count(*), 0) AS to_green
FROM asof_episode_orders e
JOIN asof_subjects s USING (sid)
GROUP BY s.subject_key, e.episode_no
ORDER BY order_count DESC, s.subject_key, e.episode_no;
