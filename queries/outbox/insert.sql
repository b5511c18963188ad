-- Records a message before it is sent. Parameters: $1 kind, $2 period, $3 recipient,
-- $4 preview, $5 forced, $6 subject, $7 message bytes, $8 queued_at, $9 run_id.
-- Returns the new message_id.
INSERT INTO outbox (message_id, kind, period, recipient, preview, forced, subject, message,
                    size_bytes, status, attempts, last_error, queued_at, next_attempt_at,
                    sent_at, alerted_at, run_id)
SELECT coalesce(max(message_id), 0) + 1, $1, $2, $3, $4, $5, $6, $7, octet_length($7),
       'queued', 0, NULL, $8, $8, NULL, NULL, $9
FROM outbox
RETURNING message_id;
