-- Every stored address of the groups a new address may join: the groups of the stored
-- addresses that share a block key with it (key_matches), through blocks small enough to
-- be looked into pair by pair ($1: the largest block, counting the new addresses), with
-- each address's explanation, number of orders when grouped, and whether it shares a key
-- with a new address, and one of its addresses as written with its street (to parse).
WITH sizes AS (
    SELECT key_hash, count(*) AS n
    FROM (SELECT key_hash FROM key_matches UNION ALL SELECT key_hash FROM new_keys)
    GROUP BY key_hash
), candidates AS (
    SELECT DISTINCT s.subject_category, s.address_norm
    FROM key_matches s JOIN sizes z USING (key_hash)
    WHERE z.n <= $1
), groups AS (
    SELECT DISTINCT m.subject_category, m.subject_address
    FROM subject_map m JOIN candidates c USING (subject_category, address_norm)
)
SELECT m.subject_category, m.address_norm, any_value(m.subject_address),
       any_value(m.reason), any_value(m.matched_with), any_value(m.match_on),
       any_value(m.score), any_value(m.orders), bool_or(k.address_norm IS NOT NULL),
       min(m.address_raw), arg_min(m.street, m.address_raw)
FROM subject_map m
JOIN groups g USING (subject_category, subject_address)
LEFT JOIN candidates k USING (subject_category, address_norm)
GROUP BY m.subject_category, m.address_norm
ORDER BY m.subject_category, m.address_norm;
