-- Holds a queued message until a time (the end of the quiet hours, or of the minute a chat
-- bot's rate allows); a later hold replaces an earlier one. Parameters: $1 message_id,
-- $2 not before.
INSERT OR REPLACE INTO outbox_hold (message_id, not_before) VALUES ($1, $2);
