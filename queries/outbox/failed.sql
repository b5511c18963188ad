-- Notes a failed attempt; the message stays queued until its next attempt.
-- Parameters: $1 message_id, $2 error, $3 next attempt.
UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3
WHERE message_id = $1;
