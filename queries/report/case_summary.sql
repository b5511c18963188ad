-- Warning-case figures of the period (one row): cases registered in the period by tier
-- and their status at the period's end, escalations and clearances in the period, and the
-- cases active at its end by tier. Reads asof_cases and report_params.
WITH c AS (
    SELECT
        c.*,
        c.registered_at >= p.period_start AS registered_in_period,
        (c.yellow_at >= p.period_start) OR (c.red_at >= p.period_start) AS escalated_in_period,
        c.cleared_at >= p.period_start AS cleared_in_period
    FROM asof_cases c, report_params p
)
SELECT
    count(*) FILTER (WHERE registered_in_period) AS registered_total,
    count(*) FILTER (WHERE registered_in_period AND tier = 'green') AS registered_green,
    count(*) FILTER (WHERE registered_in_period AND tier = 'yellow') AS registered_yellow,
    count(*) FILTER (WHERE registered_in_period AND tier = 'red') AS registered_red,
    count(*) FILTER (WHERE registered_in_period AND status = 'cleared') AS registered_cleared,
    count(*) FILTER (WHERE registered_in_period AND status = 'monitoring') AS registered_monitoring,
    count(*) FILTER (WHERE registered_in_period AND status = 'in_progress') AS registered_in_progress,
    count(*) FILTER (WHERE escalated_in_period) AS escalated,
    count(*) FILTER (WHERE cleared_in_period) AS cleared,
    count(*) FILTER (WHERE status <> 'cleared') AS active_total,
    count(*) FILTER (WHERE status <> 'cleared' AND tier = 'green') AS active_green,
    count(*) FILTER (WHERE status <> 'cleared' AND tier = 'yellow') AS active_yellow,
    count(*) FILTER (WHERE status <> 'cleared' AND tier = 'red') AS active_red,
    count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
    count(*) FILTER (WHERE status = 'monitoring') AS monitoring,
    count(*) FILTER (WHERE recurring AND (status <> 'cleared' OR registered_in_period)) AS recurring
FROM c;
