-- The stored block keys the new addresses share, read once for the queries that follow.
CREATE OR REPLACE TEMP TABLE key_matches AS
SELECT b.subject_category, b.key_hash, b.address_norm
FROM subject_blocks b
JOIN (SELECT DISTINCT key_hash FROM new_keys) k USING (key_hash);
