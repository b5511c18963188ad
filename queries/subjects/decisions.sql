-- The admin's decisions, oldest first (undone ones too, with when).
SELECT decision_id, action, subject_category, address_a, address_b, made_at, undone_at
FROM subject_decisions
ORDER BY decision_id;
