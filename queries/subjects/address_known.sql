-- How many spellings of a matter's place a normalized address is (0 or 1).
-- Parameters: $1 subject category, $2 normalized address.
SELECT count(*) FROM subject_map WHERE subject_category = $1 AND address_norm = $2;
