-- The part of a chat message still to post, in place of the whole (its first parts went).
-- Parameters: $1 message_id, $2 the message bytes.
UPDATE outbox SET message = $2, size_bytes = octet_length($2) WHERE message_id = $1;
