-- A new exported category for an address its matter already has: the pair joins that
-- address's subject, with the same explanation. Returns the pairs placed this way.
INSERT INTO subject_map
SELECT DISTINCT ON (p.raw_category, p.address_norm)
       p.raw_category, p.address_norm, m.subject_category, m.subject_address, m.reason,
       m.matched_with, m.match_on, m.score, m.orders
FROM new_pairs p
JOIN subject_map m USING (subject_category, address_norm)
RETURNING raw_category, address_norm;
