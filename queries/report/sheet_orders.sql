-- The work orders of a case sheet's case, in the order received, with what each said: the
-- latest 30, so the sheet stays one page (the ledger lists them all). Reads asof_cases,
-- asof_episode_orders, work_orders, sheet_params and report_params.
SELECT * FROM (
    SELECT c.case_id, w.order_id, w.received_at, w.channel, w.caller_phone, w.status,
           CASE WHEN w.closed_at < p.period_end THEN w.closed_at END AS closed_at, w.address,
           w.street, w.content, coalesce(w.caller_name, '') AS caller_name
    FROM asof_cases c
    JOIN sheet_params s ON c.case_id = s.case_id
    JOIN asof_episode_orders e USING (sid, episode_no)
    JOIN work_orders w ON w.order_id = e.order_id, report_params p
    ORDER BY e.seq DESC
    LIMIT 30
)
ORDER BY received_at, order_id;
