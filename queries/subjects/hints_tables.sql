-- Scratch tables for reading places from the complaints' text and callers: the normalized
-- addresses that name no place, as the whole grouping found them (hint_candidates.sql
-- reads it), and the orders whose address and text name none (hint_callers.sql).
CREATE OR REPLACE TEMP TABLE vague_addresses (address_norm VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE caller_candidates (order_id VARCHAR NOT NULL);
