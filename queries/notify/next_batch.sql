-- The number of the next notification batch (one per run that found events). No
-- parameters.
SELECT coalesce(max(TRY_CAST(split_part(period, '#', 2) AS BIGINT)), 0) + 1
FROM outbox
WHERE kind IN ('notify', 'webhook');
