-- The latest runs of every job, newest first. $1 how many.
SELECT run_id, job, coalesce(period, ''), trigger, scope, started_at, finished_at, outcome,
       messages_queued, messages_sent, coalesce(error, '')
FROM job_runs
ORDER BY run_id DESC
LIMIT $1;
