-- Queued messages whose next attempt is due (all queued ones when $2 is true), oldest
-- first (mail before chat messages); a message held (outbox_hold) is never due before its time. Parameters: $1 now,
-- $2 ignore the back-off.
SELECT o.message_id, o.kind, o.period, o.recipient, o.preview, o.forced, o.subject, o.message,
       o.attempts
FROM outbox o
LEFT JOIN outbox_hold h USING (message_id)
WHERE o.status = 'queued' AND ($2 OR o.next_attempt_at <= $1)
  AND (h.not_before IS NULL OR h.not_before <= $1)
-- Mail first: a chat bot that hangs until its timeout must not hold the warnings' mail.
ORDER BY o.kind = 'webhook', o.message_id;
