-- What order_facts (facts.sql) is made from, as rows of (what, value): files loaded,
-- subject decisions made and undone, orders stored, and the rule lists of this
-- connection. The program adds the settings, the matching and the quiet days, and makes
-- order_facts again when the whole differs from the one it was made with. (Rows, not one
-- text of nested subqueries: those took the planner most of a tenth of a second.)
SELECT what, value FROM (
    SELECT 'files' AS what, count(*)::VARCHAR AS value FROM ingested_files
    UNION ALL SELECT 'last file', coalesce(max(file_id), 0)::VARCHAR FROM ingested_files
    UNION ALL SELECT 'last decision', coalesce(max(decision_id), 0)::VARCHAR FROM subject_decisions
    UNION ALL SELECT 'undone', count(undone_at)::VARCHAR FROM subject_decisions
    UNION ALL SELECT 'orders', count(*)::VARCHAR FROM work_orders
    UNION ALL SELECT 'closed status', status FROM rule_closed_status
    UNION ALL SELECT 'category alias', alias || '=' || canonical FROM rule_category_alias
    UNION ALL SELECT 'hazard keyword', keyword FROM rule_hazard_keyword
    UNION ALL SELECT 'category mode', category || '=' || mode FROM rule_category_mode
)
ORDER BY what, value;
