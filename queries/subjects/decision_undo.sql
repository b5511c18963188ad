-- Undoes a decision that is in force. Parameters: $1 decision_id, $2 when.
UPDATE subject_decisions SET undone_at = $2
WHERE decision_id = $1 AND undone_at IS NULL;
