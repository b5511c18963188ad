-- What was notified about a case (by its id or the id of one of its orders), for `notify
-- --resend` and `status`. Parameters: $1 a list of order ids (the case's orders).
SELECT case_id, event, kind, order_count, batch,
       strftime(noticed_at, '%Y-%m-%d %H:%M:%S'),
       coalesce(strftime(held_until, '%Y-%m-%d %H:%M:%S'), '')
FROM notified
WHERE list_contains($1, case_id)
ORDER BY noticed_at, event;
