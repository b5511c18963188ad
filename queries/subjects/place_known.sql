-- A new exported category, address or street for a spelling its matter already has: the
-- row joins that spelling's subject, with the same explanation. Returns the rows placed
-- this way.
INSERT INTO subject_map
SELECT DISTINCT ON (p.raw_category, p.own_address, p.street)
       p.raw_category, p.address_norm, m.subject_category, m.subject_address, m.reason,
       m.matched_with, m.match_on, m.score, m.orders, p.own_address, p.street, p.address_raw
FROM new_pairs p
JOIN subject_map m USING (subject_category, address_norm)
RETURNING raw_category, own_address, street;
