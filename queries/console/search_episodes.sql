-- The episodes (subject number sid, episode_no) with an order that a search finds, among
-- those received before T: the order's id, or words in its address or its complaint text.
-- Parameters: $1 the words searched for, $2 T.
SELECT DISTINCT f.sid, f.episode_no
FROM order_facts f
JOIN work_orders o ON o.order_id = f.order_id
WHERE f.received_at < $2
  AND (o.order_id = $1 OR contains(o.address, $1) OR contains(coalesce(o.content, ''), $1));
