-- The cases as a report shows them: each case of asof_cases with the street and handling
-- unit (承办单位) of its first order (its id), which name its lead, the latest entry of
-- its handling record written before the report's instant, and its caller figures (NULL
-- when callers are not counted). Materialized as the temp table report_cases, which the
-- case datasets read. Reads asof_cases, asof_case_caller_figures, work_orders,
-- case_handling, case_handling_orders, order_facts and report_params.
--
-- First the temp table report_case_entries: which case each handling entry written before
-- the report's instant belongs to now. An entry keeps the orders its case had when it was
-- written, so it follows the case when its id moves to an earlier complaint that arrived
-- late, and belongs to both parts of a case an admin separated (shared).
CREATE OR REPLACE TEMP TABLE report_case_entries AS
WITH placed AS (
    SELECT DISTINCT ho.entry_id, c.case_id
    FROM case_handling_orders ho
    JOIN order_facts f USING (order_id)
    JOIN asof_cases c ON c.sid = f.sid AND c.episode_no = f.episode_no
)
SELECT p.case_id, h.*,
       count(DISTINCT p.case_id) OVER (PARTITION BY h.entry_id) > 1 AS shared
FROM placed p
JOIN case_handling h USING (entry_id), report_params r
WHERE h.written_at < r.period_end;

CREATE OR REPLACE TEMP TABLE report_cases AS
WITH latest AS (
    SELECT e.case_id, e.measures, e.responsible, e.result, e.return_visit, e.author,
           e.written_at
    FROM report_case_entries e
    QUALIFY row_number() OVER (PARTITION BY e.case_id ORDER BY e.written_at DESC, e.entry_id DESC) = 1
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
