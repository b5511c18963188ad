-- Queued messages whose next attempt is due (all queued ones when $2 is true), oldest
-- first. Parameters: $1 now, $2 ignore the back-off.
SELECT message_id, kind, period, recipient, preview, forced, subject, message, attempts
FROM outbox
WHERE status = 'queued' AND ($2 OR next_attempt_at <= $1)
ORDER BY message_id;
