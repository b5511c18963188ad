-- The stored spelling (subject_map.address_norm) of an order, in one matter: the place a
-- new order's 关联工单 link reaches. Parameters: $1 = order_id, $2 = the subject category.
SELECT DISTINCT m.address_norm
FROM work_orders p
JOIN subject_map m
    ON m.raw_category = p.category AND m.own_address = p.address_norm
   AND m.street = coalesce(p.street, '')
WHERE p.order_id = $1 AND m.subject_category = $2;
