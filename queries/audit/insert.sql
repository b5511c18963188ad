-- Appends an audit entry. $1 done_at, $2 user_name, $3 action, $4 target, $5 detail.
INSERT INTO audit_log (audit_id, done_at, user_name, action, target, detail)
SELECT coalesce(max(audit_id), 0) + 1, $1, $2, $3, $4, $5
FROM audit_log;
