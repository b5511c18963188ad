-- Orders received in the period by street (所属街道). Reads asof_orders, work_orders and
-- report_params.
SELECT coalesce(w.street, '未注明') AS street, count(*) AS received
FROM asof_orders o
JOIN work_orders w USING (order_id), report_params p
WHERE o.received_at >= p.period_start
GROUP BY ALL
ORDER BY received DESC, street;
