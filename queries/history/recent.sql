-- The latest runs of every job, newest first. $1 how many. (The columns of latest.sql.)
SELECT run_id, job, period, trigger, scope, started_at, finished_at, outcome, files_written,
       messages_queued, messages_sent, error
FROM job_runs
ORDER BY run_id DESC
LIMIT $1;
