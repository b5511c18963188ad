-- Every exported (category, normalized address, street) with its number of orders and one
-- address as written (the smallest), for grouping.
SELECT category, address_norm, coalesce(street, '') AS street, count(*) AS orders,
       min(address) AS address
FROM work_orders
GROUP BY category, address_norm, coalesce(street, '')
ORDER BY category, address_norm, street;
