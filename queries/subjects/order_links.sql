-- Which orders say they are one with another, as the temp table macro order_links():
-- (order_id, named), both stored, an order naming itself left out. An order names another
-- by 关联工单, or by its complaint's text writing the other's id, as call-takers write a
-- repeat (（原工单MS2504020001）, 与2025040100012为同一问题): a run of letters and digits (a
-- dash or underscore inside) that is a stored order's id. Only texts with four digits in a
-- row are read for ids. Per connection; no parameters.
CREATE OR REPLACE TEMP MACRO order_links() AS TABLE
WITH written AS (
    SELECT order_id,
           unnest(regexp_extract_all(content, '[A-Za-z0-9][A-Za-z0-9_-]{4,}[A-Za-z0-9]')) AS named
    FROM work_orders
    WHERE content IS NOT NULL AND regexp_matches(content, '[0-9]{4}')
),
links AS (
    SELECT order_id, related_order_id AS named
    FROM work_orders
    WHERE related_order_id IS NOT NULL
    UNION
    SELECT order_id, named FROM written
)
SELECT l.order_id, l.named
FROM links l
WHERE l.named <> l.order_id
  AND EXISTS (SELECT 1 FROM work_orders p WHERE p.order_id = l.named);
