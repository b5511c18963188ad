-- The latest run of every job, for `status` and the alerts. (The columns of recent.sql.)
SELECT run_id, job, period, trigger, scope, started_at, finished_at, outcome, files_written,
       messages_queued, messages_sent, error
FROM job_runs
QUALIFY row_number() OVER (PARTITION BY job ORDER BY run_id DESC) = 1
ORDER BY job;
