-- Places below green whose live episode holds a complaint that names a safety hazard (a
-- hazard keyword in its content, or a category handled as special: mode_rank 3), with
-- each order of that episode in the order received: DOMAIN.md's special handling is
-- reported at once, whatever the count. The episode is the place's last as of T and still
-- live (its last complaint within quiet_days of T). Reads asof_episode_orders,
-- asof_subjects and work_orders.
-- Parameters: $1 = T, $2 = green, $3 = quiet_days.
WITH episodes AS (
    SELECT
        sid,
        episode_no,
        count(*) AS order_count,
        arg_min(order_id, seq) AS case_id,
        max(received_at) AS last_received_at,
        max(mode_rank) AS mode_rank,
        max(episode_no) OVER (PARTITION BY sid) AS last_episode
    FROM asof_episode_orders
    GROUP BY sid, episode_no
),
hazards AS (
    SELECT *
    FROM episodes
    WHERE episode_no = last_episode
      AND order_count < $2
      AND mode_rank = 3
      AND epoch($1::TIMESTAMP) - epoch(last_received_at) <= $3 * 86400
)
SELECT h.case_id, s.subject_key, s.subject_category,
       w.order_id, w.received_at, coalesce(w.channel, ''),
       coalesce(w.caller_phone, ''), coalesce(w.content, ''), w.address,
       coalesce(w.street, ''), coalesce(w.handler_unit, ''),
       coalesce(w.caller_name, ''), e.is_closed
FROM hazards h
JOIN asof_subjects s USING (sid)
JOIN asof_episode_orders e USING (sid, episode_no)
JOIN work_orders w ON w.order_id = e.order_id
ORDER BY h.case_id, e.seq;
