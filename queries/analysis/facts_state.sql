-- What order_facts (facts.sql) is made from, as one text: files loaded, subject decisions
-- made and undone, orders stored, and the rule lists of this connection. The program adds
-- the settings, the matching and the quiet days, and makes order_facts again when the
-- whole differs from the one it was made with.
SELECT (SELECT count(*) FROM ingested_files)
    || '/' || (SELECT coalesce(max(file_id), 0) FROM ingested_files)
    || '/' || (SELECT coalesce(max(decision_id), 0) FROM subject_decisions)
    || '/' || (SELECT count(undone_at) FROM subject_decisions)
    || '/' || (SELECT count(*) FROM work_orders)
    || '/' || (SELECT coalesce(string_agg(status, chr(31) ORDER BY status), '')
               FROM rule_closed_status)
    || '/' || (SELECT coalesce(string_agg(alias || '=' || canonical, chr(31) ORDER BY alias, canonical), '')
               FROM rule_category_alias)
    || '/' || (SELECT coalesce(string_agg(keyword, chr(31) ORDER BY keyword), '')
               FROM rule_hazard_keyword)
    || '/' || (SELECT coalesce(string_agg(category || '=' || mode, chr(31) ORDER BY category, mode), '')
               FROM rule_category_mode);
