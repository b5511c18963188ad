-- Writes the newly normalized addresses back to the work orders.
UPDATE work_orders AS w SET address_norm = r.address_norm
FROM renormalized AS r
WHERE w.address = r.address AND w.address_norm IS DISTINCT FROM r.address_norm;
DROP TABLE renormalized;
