-- 0008: an order's place is found by its category, its normalized address and its
-- 所属街道 (the same road and number in two streets are two places), and is grouped by the
-- address as written (a dash between numbers, a remark in brackets: what normalization
-- drops). subject_map.address_norm is the place's spelling as grouped: the normalized
-- address, with the street written before it when the address names no town.
ALTER TABLE subject_map ADD COLUMN own_address VARCHAR;   -- the orders' address_norm
ALTER TABLE subject_map ADD COLUMN street VARCHAR NOT NULL DEFAULT '';   -- their street, '' for none
ALTER TABLE subject_map ADD COLUMN address_raw VARCHAR;   -- one address as written, parsed
UPDATE subject_map SET own_address = address_norm;

-- An order whose address names no place (a town, a road alone) but whose 诉求内容 does is
-- grouped as if its address were the place the content names (fuzzy matching only).
CREATE TABLE subject_hints (
    order_id     VARCHAR PRIMARY KEY,
    address_norm VARCHAR NOT NULL,   -- the place the content names, normalized
    address_raw  VARCHAR NOT NULL    -- as the content writes it
);
