-- Notes that the admin was told about a failed run. Parameters: $1 run_id, $2 time.
UPDATE job_runs SET alerted_at = $2 WHERE run_id = $1;
