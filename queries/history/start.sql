-- Records the start of a job run. Parameters: $1 job, $2 period, $3 trigger, $4 started_at,
-- $5 scope (whole | file | preview | others). Returns the new run_id.
INSERT INTO job_runs (run_id, job, period, trigger, started_at, finished_at, outcome,
                      files_written, messages_queued, messages_sent, error, alerted_at, scope)
SELECT coalesce(max(run_id), 0) + 1, $1, $2, $3, $4, NULL, 'running', '', 0, 0, NULL, NULL, $5
FROM job_runs
RETURNING run_id;
