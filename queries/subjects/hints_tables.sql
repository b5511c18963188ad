-- Scratch table for reading places from the complaints' text: the normalized addresses
-- that name no place, as the whole grouping found them (hint_candidates.sql reads it).
CREATE OR REPLACE TEMP TABLE vague_addresses (address_norm VARCHAR NOT NULL);
