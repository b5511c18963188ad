-- Scratch tables for placing a new export's addresses: the (category, address, street)
-- to place with the spelling each is grouped as, and the block keys of the spellings that
-- are new to their matter.
CREATE OR REPLACE TEMP TABLE new_pairs (
    raw_category     VARCHAR NOT NULL,
    subject_category VARCHAR NOT NULL,
    address_norm     VARCHAR NOT NULL,   -- the spelling grouped (subject_map.address_norm)
    own_address      VARCHAR NOT NULL,
    street           VARCHAR NOT NULL,
    address_raw      VARCHAR NOT NULL
);
CREATE OR REPLACE TEMP TABLE new_keys (
    subject_category VARCHAR NOT NULL,
    key_hash         BIGINT NOT NULL,     -- FNV-1a of category and block key (subjects::key_hash)
    address_norm     VARCHAR NOT NULL
);
