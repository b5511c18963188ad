-- Warning cases registered in the period by handling mode (马上办 / 联合办 / 专门办).
-- Reads asof_cases and report_params.
SELECT m.handling_mode, count(c.case_id) AS cases
FROM (VALUES ('immediate', 1), ('joint', 2), ('special', 3)) m(handling_mode, rank)
LEFT JOIN (
    SELECT c.* FROM asof_cases c, report_params p WHERE c.registered_at >= p.period_start
) c USING (handling_mode)
GROUP BY m.handling_mode, m.rank
ORDER BY m.rank;
