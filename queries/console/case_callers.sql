-- Who complained in one case: the orders listed in console_order_ids (the case's, as of
-- the page's day) by caller (caller_key of the stored 联系电话; NULL for those that left
-- no phone, 未留电话), with the number of complaints each, most first. Needs the
-- caller_key macro (queries/analysis/caller_key.sql).
SELECT caller_key(w.caller_phone) AS caller, count(*)::BIGINT AS complaints
FROM console_order_ids i
JOIN work_orders w USING (order_id)
GROUP BY ALL
ORDER BY complaints DESC, caller NULLS LAST;
