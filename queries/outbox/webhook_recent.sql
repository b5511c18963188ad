-- When the chat messages sent since $1 went out, oldest first (a bot takes 20 a minute).
SELECT sent_at FROM outbox
WHERE kind = 'webhook' AND status = 'sent' AND sent_at > $1
ORDER BY sent_at;
