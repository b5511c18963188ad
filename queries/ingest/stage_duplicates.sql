-- How many staged rows restate an id already staged earlier in the same file.
SELECT count(*) - count(DISTINCT order_id) FROM stage_orders;
