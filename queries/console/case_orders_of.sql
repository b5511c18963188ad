-- The orders of one warning case as of T, from the stored facts (analysis/facts.sql): the
-- orders of the episode of its first order ($1, the case id) received before T ($2).
-- Materialized as the temp table console_case_orders, which the case page's queries read.
CREATE OR REPLACE TEMP TABLE console_case_orders AS
SELECT f.order_id, f.order_row, f.received_at, f.raw_category, f.address, f.address_norm,
       f.related_order_id, f.caller
FROM order_facts f
JOIN (SELECT sid, episode_no FROM order_facts WHERE order_id = $1) c USING (sid, episode_no)
WHERE f.received_at < $2;
