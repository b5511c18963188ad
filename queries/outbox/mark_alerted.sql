-- Notes that the admin was told a message is stuck. Parameters: $1 message_id, $2 time.
UPDATE outbox SET alerted_at = $2 WHERE message_id = $1;
