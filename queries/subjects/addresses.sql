-- Every exported (category, normalized address) with its number of orders, for grouping.
SELECT category, address_norm, count(*) AS orders
FROM work_orders
GROUP BY category, address_norm
ORDER BY category, address_norm;
