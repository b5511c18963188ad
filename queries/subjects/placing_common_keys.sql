-- The block keys of the new addresses that are too common in their matter to be looked
-- into pair by pair ($1: the largest block), counting stored (key_matches) and new
-- addresses alike, as the whole grouping counts them.
SELECT subject_category, block_key
FROM (SELECT subject_category, block_key FROM key_matches
      UNION ALL
      SELECT subject_category, block_key FROM new_keys)
GROUP BY subject_category, block_key
HAVING count(*) > $1;
