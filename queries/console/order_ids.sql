-- The temporary table of order ids the console's case queries join (filled by the caller).
CREATE OR REPLACE TEMP TABLE console_order_ids (order_id VARCHAR NOT NULL);
