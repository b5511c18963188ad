-- Orders received in the period by channel (来源渠道). Reads asof_orders, work_orders and
-- report_params.
SELECT coalesce(w.channel, '未注明') AS channel, count(*) AS received
FROM asof_orders o
JOIN work_orders w USING (order_id), report_params p
WHERE o.received_at >= p.period_start
GROUP BY ALL
ORDER BY received DESC, channel;
