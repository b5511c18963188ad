-- Who complained in one case: its orders (console_case_orders, case_orders_of.sql) by
-- caller (the stored 联系电话 as one key, made with the facts; NULL for those that left no
-- phone, 未留电话), with the number of complaints each, most first: the first $1 of them.
-- A large case can have tens of thousands of callers; case_caller_totals.sql sums them all.
SELECT caller, count(*)::BIGINT AS complaints
FROM console_case_orders
GROUP BY ALL
ORDER BY complaints DESC, caller NULLS LAST
LIMIT $1;
