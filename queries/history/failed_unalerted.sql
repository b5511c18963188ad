-- Failed job runs the admin has not been told about.
SELECT run_id, job, coalesce(period, ''), strftime(started_at, '%Y-%m-%d %H:%M:%S'),
       coalesce(error, '')
FROM job_runs
WHERE outcome = 'failed' AND alerted_at IS NULL
ORDER BY run_id;
