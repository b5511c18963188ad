-- Every (case, event) already notified, for comparing the cases as of now with what was
-- told. No parameters.
SELECT case_id, event FROM notified ORDER BY case_id, event;
