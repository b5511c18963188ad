-- 0008: an order's place is found by its category, its normalized address and its
-- 所属街道 (the same road and number in two streets are two places), and is grouped by the
-- address as written (a dash between numbers, a remark in brackets: what normalization
-- drops). subject_map.address_norm is the place's spelling as grouped: the normalized
-- address, with the street written before it when the address names no town.
ALTER TABLE subject_map ADD COLUMN own_address VARCHAR;   -- the orders' address_norm
ALTER TABLE subject_map ADD COLUMN street VARCHAR NOT NULL DEFAULT '';   -- their street, '' for none
ALTER TABLE subject_map ADD COLUMN address_raw VARCHAR;   -- one address as written, parsed
UPDATE subject_map SET own_address = address_norm;
