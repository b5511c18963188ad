-- Records the end of a job run. Parameters: $1 run_id, $2 finished_at, $3 outcome,
-- $4 files written (one per line), $5 messages queued, $6 messages sent, $7 error.
UPDATE job_runs
SET finished_at = $2, outcome = $3, files_written = $4, messages_queued = $5,
    messages_sent = $6, error = $7
WHERE run_id = $1;
