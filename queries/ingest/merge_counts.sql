-- What merging the staged chunk would do: orders new, updated (a stored value changes),
-- restated unchanged, moved from closed back to open, repeats of an id an earlier chunk
-- of the same file already stored; and the span of received_at.
-- A column the file lacks keeps its stored value, so it can neither change nor reopen.
-- Closed here means: a closing time, or a status in rule_closed_status.
-- Parameters: $1..$10 = whether the file has channel, street, community, content,
-- caller_name, caller_phone, handler_unit, status, closed_at, related_order_id;
-- $11 = the file's file_id.
WITH merged AS (
    SELECT
        w.order_id IS NULL AS is_new,
        coalesce(w.file_id = $11, false) AS earlier_chunk,
        coalesce(w.closed_at IS NOT NULL OR w.status IN (SELECT status FROM rule_closed_status), false)
            AS was_closed,
        coalesce(
            (CASE WHEN $9 THEN s.closed_at ELSE w.closed_at END) IS NOT NULL
                OR (CASE WHEN $8 THEN s.status ELSE w.status END) IN (SELECT status FROM rule_closed_status),
            false
        ) AS now_closed,
        s.received_at IS DISTINCT FROM w.received_at
            OR s.category IS DISTINCT FROM w.category
            OR s.address IS DISTINCT FROM w.address
            OR ($1 AND s.channel IS DISTINCT FROM w.channel)
            OR ($2 AND s.street IS DISTINCT FROM w.street)
            OR ($3 AND s.community IS DISTINCT FROM w.community)
            OR ($4 AND s.content IS DISTINCT FROM w.content)
            OR ($5 AND s.caller_name IS DISTINCT FROM w.caller_name)
            OR ($6 AND s.caller_phone IS DISTINCT FROM w.caller_phone)
            OR ($7 AND s.handler_unit IS DISTINCT FROM w.handler_unit)
            OR ($8 AND s.status IS DISTINCT FROM w.status)
            OR ($9 AND s.closed_at IS DISTINCT FROM w.closed_at)
            OR ($10 AND s.related_order_id IS DISTINCT FROM w.related_order_id)
            AS changed
    FROM stage_orders s
    LEFT JOIN work_orders w ON w.order_id = s.order_id
)
SELECT
    count(*) FILTER (WHERE is_new) AS orders_new,
    count(*) FILTER (WHERE NOT is_new AND NOT earlier_chunk AND changed) AS orders_updated,
    count(*) FILTER (WHERE NOT is_new AND NOT earlier_chunk AND NOT changed) AS orders_same,
    count(*) FILTER (WHERE NOT is_new AND NOT earlier_chunk AND was_closed AND NOT now_closed) AS orders_reopened,
    count(*) FILTER (WHERE earlier_chunk) AS repeats,
    (SELECT min(received_at) FROM stage_orders) AS data_from,
    (SELECT max(received_at) FROM stage_orders) AS data_to
FROM merged;
