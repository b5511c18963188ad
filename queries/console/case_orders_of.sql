-- The orders of one warning case as of T, from the stored facts (analysis/facts.sql): the
-- orders of its episode ($1 = the subject's number sid, $2 = episode_no, as
-- case_episodes.sql found them) received before T ($3). Materialized as the temp table
-- console_case_orders, which the case page's queries read; the program checks that the
-- case's first order (its id) opens it, in case the facts were made again since.
CREATE OR REPLACE TEMP TABLE console_case_orders AS
SELECT order_id, order_row, received_at, raw_category, address, address_norm, street,
       related_order_id, caller
FROM order_facts
WHERE sid = $1 AND episode_no = $2 AND received_at < $3;
