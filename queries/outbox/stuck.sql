-- Messages (not alerts) queued before $1 and still unsent, the admin not yet told.
-- Parameters: $1 the time before which a message counts as stuck.
SELECT message_id, kind, period, recipient, attempts, coalesce(last_error, ''),
       strftime(queued_at, '%Y-%m-%d %H:%M:%S')
FROM outbox
WHERE status = 'queued' AND kind <> 'alert' AND queued_at < $1 AND alerted_at IS NULL
ORDER BY message_id;
