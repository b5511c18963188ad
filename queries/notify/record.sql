-- Records that an event of a case was notified (or is held for the end of the quiet
-- hours). Parameters: $1 case_id, $2 event, $3 kind, $4 order_count, $5 batch,
-- $6 noticed_at, $7 held_until (NULL when sent at once).
INSERT INTO notified (case_id, event, kind, order_count, batch, noticed_at, held_until)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT DO NOTHING;
