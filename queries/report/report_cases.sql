-- The cases as a report shows them: each case of asof_cases with the street and handling
-- unit (承办单位) of its first order (its id), which name its lead, the latest entry of
-- its handling record written before the report's instant, and its caller figures (NULL
-- when callers are not counted). Materialized as the temp table report_cases, which the
-- case datasets read. Reads asof_cases, asof_case_caller_figures, work_orders,
-- case_handling and report_params.
CREATE OR REPLACE TEMP TABLE report_cases AS
WITH latest AS (
    SELECT h.case_id, h.measures, h.responsible, h.result, h.return_visit, h.author,
           h.written_at
    FROM case_handling h, report_params p
    WHERE h.written_at < p.period_end
    QUALIFY row_number() OVER (PARTITION BY h.case_id ORDER BY h.written_at DESC, h.entry_id DESC) = 1
)
SELECT
    c.*,
    coalesce(w.street, '') AS street,
    coalesce(w.handler_unit, '') AS handler_unit,
    l.measures AS handling_measures,
    l.responsible AS handling_responsible,
    l.result AS handling_result,
    l.return_visit AS handling_return_visit,
    l.author AS handling_author,
    l.written_at AS handling_written_at,
    f.callers,
    f.no_phone,
    f.top_caller_complaints,
    f.top_caller_share
FROM asof_cases c
LEFT JOIN work_orders w ON w.order_id = c.case_id
LEFT JOIN latest l ON l.case_id = c.case_id
LEFT JOIN asof_case_caller_figures f ON f.case_id = c.case_id;
