-- Headline figures of the period (one row): orders received in the period and the one
-- before, orders closed in the period (by closing time), and the open backlog at its end.
-- Reads asof_orders and report_params.
SELECT
    count(*) FILTER (WHERE o.received_at >= p.period_start) AS received,
    count(*) FILTER (WHERE o.received_at >= p.prev_start AND o.received_at < p.period_start) AS received_prev,
    count(*) FILTER (WHERE o.closed_at >= p.period_start AND o.closed_at < p.period_end) AS closed,
    count(*) FILTER (WHERE NOT o.is_closed) AS backlog,
    count(*) FILTER (WHERE NOT o.is_closed AND o.received_at < p.period_start) AS backlog_older
FROM asof_orders o, report_params p;
