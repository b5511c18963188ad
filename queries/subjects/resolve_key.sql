-- The subject a subject key names: its own key, or the key of one of its spellings.
-- Reads asof_orders made for all time. Parameters: $1 = the key (category|address).
SELECT DISTINCT subject_category, subject_key[length(subject_category) + 2:]
FROM asof_orders
WHERE subject_key = $1
UNION
SELECT DISTINCT subject_category, subject_address
FROM subject_map
WHERE subject_category || '|' || address_norm = $1;
