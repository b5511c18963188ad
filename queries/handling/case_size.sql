-- How many orders the episode opened by $1 holds in the stored facts; no row when $1 opens
-- no episode (it is no case's id).
SELECT count(*)::BIGINT
FROM order_facts
WHERE (sid, episode_no) IN (SELECT sid, episode_no FROM order_facts WHERE order_id = $1 AND seq = 1)
HAVING count(*) > 0;
