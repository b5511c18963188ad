-- The block keys of the new addresses that are too common in their matter to be looked
-- into pair by pair ($1: the largest block), counting stored (key_matches) and new
-- addresses alike, as the whole grouping counts them.
SELECT key_hash
FROM (SELECT key_hash FROM key_matches UNION ALL SELECT key_hash FROM new_keys)
GROUP BY key_hash
HAVING count(*) > $1;
