-- The latest orders of a case (console_case_orders, case_orders_of.sql), as many as the
-- page shows ($1, after the $2 latest that earlier pages show), with where each is stored: the temp table console_shown, which
-- case_orders_by_row.sql reads. The same orders as case_members.sql lists.
CREATE OR REPLACE TEMP TABLE console_shown AS
SELECT order_id, order_row
FROM console_case_orders
ORDER BY received_at DESC, order_id DESC
LIMIT $1 OFFSET $2;
