-- How many messages are queued (and of those, failed at least once) and sent.
SELECT count(*) FILTER (WHERE status = 'queued'),
       count(*) FILTER (WHERE status = 'queued' AND attempts > 0),
       count(*) FILTER (WHERE status = 'sent')
FROM outbox;
