-- 0005: the block keys of each grouped address (road+number, junction, place name and
-- their one-slip neighbours), so that a new export's addresses are placed among the known
-- ones without parsing every stored address again; and each address's number of orders
-- when it was grouped, which decides a place's name when two places become one.
CREATE TABLE subject_blocks (
    subject_category VARCHAR NOT NULL,
    block_key        VARCHAR NOT NULL,
    address_norm     VARCHAR NOT NULL
);
ALTER TABLE subject_map ADD COLUMN orders BIGINT NOT NULL DEFAULT 0;
