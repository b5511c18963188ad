-- The orders, subjects and episode orders that count as of an instant T, as temporary
-- views over order_facts and fact_subjects (facts.sql): asof_orders, asof_subjects and
-- asof_episode_orders, read by the cases and the reports. Orders received before T count;
-- an order is closed at T when it was closed before T, or, without a closing time, when
-- its status is a closed one.
-- Views cannot take parameters: the program writes T in place of :T as a timestamp literal.
CREATE OR REPLACE TEMP VIEW asof_orders AS
SELECT
    order_id,
    received_at,
    category,
    address,
    closed_at,
    related_order_id,
    subject_key,
    subject_category,
    CASE WHEN closed_at IS NULL THEN closed_by_status ELSE closed_at < :T END AS is_closed,
    mode_rank
FROM order_facts
WHERE received_at < :T;

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
