-- Orders (as of T, from asof_orders) whose related_order_id names no stored order: the
-- reference is ignored and the order keys its own subject.
SELECT order_id, related_order_id
FROM asof_orders
WHERE related_order_id IS NOT NULL
  AND related_order_id <> order_id
  AND related_order_id NOT IN (SELECT order_id FROM work_orders)
ORDER BY order_id;
