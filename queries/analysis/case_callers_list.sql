-- Every warning case's caller figures at T (asof_case_caller_figures, case_caller_figures.sql),
-- by case_id: callers, no_phone, top_caller_complaints, top_caller_share.
SELECT case_id, callers, no_phone, top_caller_complaints, top_caller_share
FROM asof_case_caller_figures
ORDER BY case_id;
