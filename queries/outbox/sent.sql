-- Marks a message sent. Parameters: $1 message_id, $2 sent_at.
UPDATE outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL
WHERE message_id = $1;
