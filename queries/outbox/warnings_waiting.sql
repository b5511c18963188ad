-- The warnings (mail of kind 'notify', chat messages) still queued: each id, whether it is
-- held for the quiet hours and until when, and its last error. Read by a manual `notify`,
-- which sends what is not held and says why the rest waits.
SELECT o.message_id, o.recipient, h.not_before, coalesce(o.last_error, '')
FROM outbox o
LEFT JOIN outbox_hold h USING (message_id)
WHERE o.status = 'queued' AND o.kind IN ('notify', 'webhook')
ORDER BY o.message_id;
