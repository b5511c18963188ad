-- The block keys of the new addresses that are too common in their matter to be looked
-- into pair by pair ($1: the largest block), counting stored and new addresses alike, as
-- the whole grouping counts them.
WITH keys AS (
    SELECT subject_category, block_key, count(*) AS n FROM new_keys GROUP BY ALL
), stored AS (
    SELECT b.subject_category, b.block_key, count(*) AS n
    FROM subject_blocks b JOIN keys USING (subject_category, block_key)
    GROUP BY ALL
)
SELECT k.subject_category, k.block_key
FROM keys k LEFT JOIN stored s USING (subject_category, block_key)
WHERE k.n + coalesce(s.n, 0) > $1;
