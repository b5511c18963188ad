-- Holds a queued message until a time (the end of the quiet hours). Parameters:
-- $1 message_id, $2 not before.
INSERT INTO outbox_hold (message_id, not_before) VALUES ($1, $2);
