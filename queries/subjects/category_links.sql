-- The links between orders (order_links.sql: 关联工单, or an id the text writes), by the two
-- orders' categories as exported: what the data says of which category spellings are one
-- matter (an order and the order it names are one subject). Needs the order_links macro.
SELECT c.category, p.category, count(*)::BIGINT
FROM order_links() l
JOIN work_orders c ON c.order_id = l.order_id
JOIN work_orders p ON p.order_id = l.named
GROUP BY ALL
ORDER BY ALL;
