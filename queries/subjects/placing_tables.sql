-- Scratch tables for placing a new export's addresses: the pairs to place, and the block
-- keys of the addresses that are new to their matter.
CREATE OR REPLACE TEMP TABLE new_pairs (
    raw_category     VARCHAR NOT NULL,
    subject_category VARCHAR NOT NULL,
    address_norm     VARCHAR NOT NULL
);
CREATE OR REPLACE TEMP TABLE new_keys (
    subject_category VARCHAR NOT NULL,
    key_hash         BIGINT NOT NULL,     -- FNV-1a of category and block key (subjects::key_hash)
    address_norm     VARCHAR NOT NULL
);
