-- The unsent messages `status` lists while they stay unsent: those queued before $1
-- (stuck, whether the admin was told or not), and alerts to the admin that failed at
-- least once (the admin cannot be told of those by mail, so `status` is where they show);
-- with whether the admin is still to be told (a stuck message, not an alert, not told).
-- Parameters: $1 the time before which a message counts as stuck.
SELECT message_id, kind, period, recipient, attempts, coalesce(last_error, ''),
       strftime(queued_at, '%Y-%m-%d %H:%M:%S'),
       kind <> 'alert' AND alerted_at IS NULL AS to_tell
FROM outbox
WHERE status = 'queued'
  AND ((kind <> 'alert' AND queued_at < $1) OR (kind = 'alert' AND attempts > 0))
ORDER BY message_id;
