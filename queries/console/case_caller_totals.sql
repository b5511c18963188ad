-- The figures of all of one case's callers (console_case_orders, case_orders_of.sql; the
-- callers as case_callers.sql counts them): how many callers left a phone, the complaints
-- without one (未留电话), the most complaints of one caller with a phone, all the
-- complaints, and how many rows the full list has (callers, plus one for 未留电话).
WITH counted AS (
    SELECT caller, count(*)::BIGINT AS complaints
    FROM console_case_orders
    GROUP BY ALL
)
SELECT count(caller)::BIGINT,
       coalesce(sum(complaints) FILTER (WHERE caller IS NULL), 0)::BIGINT,
       max(complaints) FILTER (WHERE caller IS NOT NULL),
       coalesce(sum(complaints), 0)::BIGINT,
       count(*)::BIGINT
FROM counted;
