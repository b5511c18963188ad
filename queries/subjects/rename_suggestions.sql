-- A group's representative changed (it joined another): its suggestions follow it.
-- Parameters: $1 category, $2 old representative, $3 new representative.
UPDATE subject_suggestions
SET address_a = CASE WHEN address_a = $2 THEN $3 ELSE address_a END,
    address_b = CASE WHEN address_b = $2 THEN $3 ELSE address_b END
WHERE subject_category = $1 AND (address_a = $2 OR address_b = $2);
