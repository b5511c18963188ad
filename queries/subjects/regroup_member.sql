-- A stored address whose group joined another: its new subject and why. Parameters:
-- $1 subject category, $2 address, $3 subject address, $4 reason, $5 matched with,
-- $6 match on, $7 score.
UPDATE subject_map
SET subject_address = $3, reason = $4, matched_with = $5, match_on = $6, score = $7
WHERE subject_category = $1 AND address_norm = $2;
