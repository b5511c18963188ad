-- The block keys of the addresses just placed join the stored ones; a suggestion whose two
-- sides are now one group is gone; the scratch tables go.
INSERT INTO subject_blocks SELECT subject_category, key_hash, address_norm FROM new_keys;
DELETE FROM subject_suggestions WHERE address_a = address_b;
DROP TABLE new_pairs;
DROP TABLE new_keys;
DROP TABLE key_matches;
