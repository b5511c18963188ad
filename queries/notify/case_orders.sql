-- The orders of every warning case not cleared at T, in the order received: what a
-- notification lists, and the ids by which late data that merged cases is recognised.
-- Reads asof_cases, asof_episode_orders and work_orders.
SELECT c.case_id, w.order_id, w.received_at, coalesce(w.channel, ''),
       coalesce(w.caller_phone, ''), coalesce(w.content, ''), w.address,
       coalesce(w.street, ''), coalesce(w.handler_unit, ''),
       coalesce(w.caller_name, '')
FROM asof_cases c
JOIN asof_episode_orders e USING (sid, episode_no)
JOIN work_orders w ON w.order_id = e.order_id
WHERE c.status <> 'cleared'
ORDER BY c.case_id, e.seq;
