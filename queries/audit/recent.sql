-- The latest audit entries, newest first. $1 how many.
SELECT audit_id, done_at, user_name, action, target, detail
FROM audit_log
ORDER BY audit_id DESC
LIMIT $1;
