-- Records the start of a job run. Parameters: $1 job, $2 period, $3 trigger, $4 started_at.
-- Returns the new run_id.
INSERT INTO job_runs
SELECT coalesce(max(run_id), 0) + 1, $1, $2, $3, $4, NULL, 'running', '', 0, 0, NULL, NULL
FROM job_runs
RETURNING run_id;
