-- The stored block keys the new addresses share, read once for the queries that follow.
CREATE OR REPLACE TEMP TABLE key_matches AS
SELECT b.subject_category, b.block_key, b.address_norm
FROM subject_blocks b
JOIN (SELECT DISTINCT subject_category, block_key FROM new_keys) k
    USING (subject_category, block_key);
