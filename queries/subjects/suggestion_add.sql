-- A new suggestion, unless the pair is already suggested (either way round).
-- Parameters: $1 category, $2 address a, $3 address b, $4 score, $5 match on.
INSERT INTO subject_suggestions
SELECT $1, $2, $3, $4, $5
WHERE NOT EXISTS (SELECT 1 FROM subject_suggestions
                  WHERE subject_category = $1
                    AND ((address_a = $2 AND address_b = $3) OR (address_a = $3 AND address_b = $2)));
