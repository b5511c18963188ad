-- The orders, subjects and episode orders that count as of an instant T, as temporary
-- views over order_facts and fact_subjects (facts.sql): asof_orders, asof_subjects and
-- asof_episode_orders, read by the cases and the reports. Orders received before T count;
-- an order is closed at T when it was closed before T, or, without a closing time, when
-- its status is a closed one.
-- Views cannot take parameters: the program writes T in place of :T as a timestamp literal.
CREATE OR REPLACE TEMP VIEW asof_orders AS
SELECT
    o.order_id,
    o.received_at,
    o.category,
    o.address,
    o.closed_at,
    o.related_order_id,
    s.subject_key,
    s.subject_category,
    CASE WHEN o.closed_at IS NULL THEN o.closed_by_status ELSE o.closed_at < :T END AS is_closed,
    o.mode_rank
FROM order_facts o
JOIN fact_subjects s USING (sid)
WHERE o.received_at < :T;

CREATE OR REPLACE TEMP VIEW asof_subjects AS
SELECT sid, subject_key, subject_category
FROM fact_subjects
WHERE first_received_at < :T;

CREATE OR REPLACE TEMP VIEW asof_episode_orders AS
SELECT
    sid,
    order_id,
    received_at,
    closed_at,
    CASE WHEN closed_at IS NULL THEN closed_by_status ELSE closed_at < :T END AS is_closed,
    mode_rank,
    episode_no,
    seq,
    address,
    caller
FROM order_facts
WHERE received_at < :T;
