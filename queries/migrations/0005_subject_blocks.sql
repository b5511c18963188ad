-- 0005: the block keys of each grouped address (road+number, junction, place name and
-- their one-slip neighbours), so that a new export's addresses are placed among the known
-- ones without parsing every stored address again; and each address's number of orders
-- when it was grouped, which decides a place's name when two places become one.
CREATE TABLE subject_blocks (
    subject_category VARCHAR NOT NULL,
    key_hash         BIGINT NOT NULL,     -- FNV-1a of category and block key (subjects::key_hash)
    address_norm     VARCHAR NOT NULL
);
ALTER TABLE subject_map ADD COLUMN orders BIGINT NOT NULL DEFAULT 0;
