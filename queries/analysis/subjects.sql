-- Every subject's episodes as of T (from asof_episode_orders), warning or not: for the
-- admin who asks why something is not a warning.
-- Parameters: $1 = green.
SELECT
    subject_key,
    episode_no,
    count(*) AS order_count,
    arg_min(order_id, seq) AS first_order_id,
    min(received_at) AS first_received_at,
    max(received_at) AS last_received_at,
    count(*) FILTER (WHERE NOT is_closed) AS open_orders,
    greatest($1 - count(*), 0) AS to_green
FROM asof_episode_orders
GROUP BY subject_key, episode_no
ORDER BY order_count DESC, subject_key, episode_no;
