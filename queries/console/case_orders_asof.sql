-- Each warning case's orders at T: the orders of the episode it is. Reads asof_cases and
-- asof_episode_orders.
SELECT c.case_id, e.order_id
FROM asof_cases c
JOIN asof_episode_orders e USING (sid, episode_no)
ORDER BY c.case_id, e.received_at, e.order_id;
