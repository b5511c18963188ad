-- Keeps the orders of an entry's case as it is when the entry is written: its id and the
-- orders of its episode in the stored facts. $1 entry_id, $2 case_id.
INSERT INTO case_handling_orders (entry_id, order_id)
SELECT $1, order_id
FROM order_facts
WHERE (sid, episode_no) IN (SELECT sid, episode_no FROM order_facts WHERE order_id = $2)
UNION
SELECT $1, $2;
