-- The outbox for `status`: every queued message and the latest sent ones; a held message
-- shows the time it is held until as its next attempt.
-- Parameters: $1 how many sent messages to list.
SELECT message_id, kind, period, recipient, preview, status, attempts, coalesce(last_error, ''),
       strftime(queued_at, '%Y-%m-%d %H:%M:%S'),
       strftime(CASE WHEN status = 'sent' THEN sent_at
                     ELSE greatest(next_attempt_at, coalesce(not_before, next_attempt_at)) END,
                '%Y-%m-%d %H:%M:%S')
FROM (
    SELECT * FROM outbox WHERE status = 'queued'
    UNION ALL
    SELECT * FROM (SELECT * FROM outbox WHERE status = 'sent' ORDER BY sent_at DESC, message_id DESC LIMIT $1)
)
LEFT JOIN outbox_hold USING (message_id)
ORDER BY status, message_id DESC;
