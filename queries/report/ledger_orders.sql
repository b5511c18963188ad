-- The work orders of the ledger's cases, in the order received. Reads asof_cases,
-- asof_episode_orders, work_orders and report_params.
SELECT c.case_id, w.order_id, w.received_at, w.channel, w.caller_phone, w.status,
       CASE WHEN w.closed_at < p.period_end THEN w.closed_at END AS closed_at, w.address,
       coalesce(w.caller_name, '') AS caller_name
FROM asof_cases c
JOIN asof_episode_orders e USING (sid, episode_no)
JOIN work_orders w ON w.order_id = e.order_id, report_params p
WHERE c.status <> 'cleared' OR c.registered_at >= p.period_start OR c.cleared_at >= p.period_start
ORDER BY c.case_id, e.seq;
