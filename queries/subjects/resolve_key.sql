-- The subject a subject key names: its own key, or the key of one of its spellings.
-- Parameters: $1 = the key (category|address).
SELECT DISTINCT subject_category, subject_address
FROM subject_map
WHERE subject_category || '|' || subject_address = $1
   OR subject_category || '|' || address_norm = $1;
