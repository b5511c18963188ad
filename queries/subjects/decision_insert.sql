-- Records a decision. Parameters: $1 action (merge | separate), $2 category, $3 address a,
-- $4 address b, $5 made_at. Returns the new decision_id.
INSERT INTO subject_decisions (decision_id, action, subject_category, address_a, address_b,
                               made_at, undone_at)
SELECT coalesce(max(decision_id), 0) + 1, $1, $2, $3, $4, $5, NULL
FROM subject_decisions
RETURNING decision_id;
