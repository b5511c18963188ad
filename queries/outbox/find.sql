-- The messages already recorded for a report, period and recipient (normal or preview),
-- newest forced number first. Parameters: $1 kind, $2 period, $3 recipient, $4 preview.
SELECT message_id, status, forced, strftime(coalesce(sent_at, queued_at), '%Y-%m-%d %H:%M:%S')
FROM outbox
WHERE kind = $1 AND period = $2 AND recipient = $3 AND preview = $4
ORDER BY forced DESC;
