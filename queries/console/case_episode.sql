-- Where a case's orders are in the stored facts, found by its first order ($1, the case
-- id): its subject's number and its episode.
SELECT sid, episode_no
FROM order_facts
WHERE order_id = $1;
