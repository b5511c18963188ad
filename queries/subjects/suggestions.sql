-- The suggestions with, for each side, its orders (counted from the stored map).
SELECT s.subject_category, s.address_a, s.address_b, s.score, s.match_on,
       (SELECT count(*) FROM work_orders w LEFT JOIN subject_hints h USING (order_id)
        JOIN subject_map m
          ON m.raw_category = w.category AND m.own_address = coalesce(h.address_norm, w.address_norm)
         AND m.street = coalesce(w.street, '')
        WHERE m.subject_category = s.subject_category AND m.subject_address = s.address_a) AS orders_a,
       (SELECT count(*) FROM work_orders w LEFT JOIN subject_hints h USING (order_id)
        JOIN subject_map m
          ON m.raw_category = w.category AND m.own_address = coalesce(h.address_norm, w.address_norm)
         AND m.street = coalesce(w.street, '')
        WHERE m.subject_category = s.subject_category AND m.subject_address = s.address_b) AS orders_b
FROM subject_suggestions s
ORDER BY s.score DESC, s.subject_category, s.address_a, s.address_b;
