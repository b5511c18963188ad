-- The links (关联工单) between orders, by the two orders' categories as exported: what the
-- data says of which category spellings are one matter (an order and the order it names
-- are one subject). Both orders stored; an order naming itself says nothing.
SELECT c.category, p.category, count(*)::BIGINT
FROM work_orders c
JOIN work_orders p ON p.order_id = c.related_order_id
WHERE c.related_order_id <> c.order_id
GROUP BY ALL
ORDER BY ALL;
