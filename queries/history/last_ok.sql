-- The last successful whole run of a job for a period (for a report: sent to its configured
-- recipients), if any. Parameters: $1 job, $2 period.
SELECT run_id, strftime(finished_at, '%Y-%m-%d %H:%M:%S')
FROM job_runs
WHERE job = $1 AND period = $2 AND outcome = 'ok' AND scope = 'whole'
ORDER BY run_id DESC
LIMIT 1;
