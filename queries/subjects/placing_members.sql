-- Every stored address of the groups a new address may join: the groups of the stored
-- addresses that share a block key with it, through blocks small enough to be looked into
-- pair by pair ($1: the largest block, counting the new addresses), with each address's
-- explanation, number of orders, and whether it shares a key with a new address.
WITH keys AS (
    SELECT DISTINCT subject_category, block_key FROM new_keys
), stored AS (
    SELECT b.subject_category, b.block_key, b.address_norm
    FROM subject_blocks b JOIN keys USING (subject_category, block_key)
), sizes AS (
    SELECT subject_category, block_key, count(*) AS n
    FROM (SELECT subject_category, block_key FROM stored
          UNION ALL
          SELECT subject_category, block_key FROM new_keys)
    GROUP BY subject_category, block_key
), candidates AS (
    SELECT DISTINCT s.subject_category, s.address_norm
    FROM stored s JOIN sizes z USING (subject_category, block_key)
    WHERE z.n <= $1
), groups AS (
    SELECT DISTINCT m.subject_category, m.subject_address
    FROM subject_map m JOIN candidates c USING (subject_category, address_norm)
), members AS (
    SELECT m.* FROM subject_map m JOIN groups g USING (subject_category, subject_address)
), counted AS (
    SELECT m.subject_category, m.address_norm, count(w.order_id) AS orders
    FROM members m
    LEFT JOIN work_orders w ON w.category = m.raw_category AND w.address_norm = m.address_norm
    GROUP BY m.subject_category, m.address_norm
)
SELECT m.subject_category, m.address_norm, any_value(m.subject_address),
       any_value(m.reason), any_value(m.matched_with), any_value(m.match_on),
       any_value(m.score), any_value(c.orders), bool_or(k.address_norm IS NOT NULL)
FROM members m
JOIN counted c USING (subject_category, address_norm)
LEFT JOIN candidates k USING (subject_category, address_norm)
GROUP BY m.subject_category, m.address_norm
ORDER BY m.subject_category, m.address_norm;
