-- The orders that count as of an instant T, each with its canonical category, subject key
-- (following related_order_id chains to their root), closedness at T and handling mode.
-- Materialized as the temp table asof_orders for the analysis queries of one run.
-- Parameters: $1 = T (naive local timestamp; orders received before it count).
--
-- Chains: an order whose related_order_id names an order that counts at T belongs to that
-- order's subject; the chain is followed to its root. A chain that loops takes as root the
-- loop's smallest order_id. References to ids that do not count at T are ignored (and
-- listed by unknown_references.sql).
CREATE OR REPLACE TEMP TABLE asof_orders AS
WITH RECURSIVE
orders AS (
    SELECT
        w.order_id,
        w.received_at,
        coalesce(a.canonical, w.category) AS category,
        w.address,
        w.address_norm,
        w.channel,
        w.street,
        w.community,
        w.content,
        w.caller_name,
        w.caller_phone,
        w.handler_unit,
        w.status,
        w.closed_at,
        w.related_order_id
    FROM work_orders w
    LEFT JOIN rule_category_alias a ON a.alias = w.category
    WHERE w.received_at < $1
),
edges AS (
    SELECT o.order_id AS child, o.related_order_id AS parent
    FROM orders o
    JOIN orders p ON p.order_id = o.related_order_id
    WHERE o.related_order_id <> o.order_id
),
walk(start, node, path) AS (
    SELECT child, child, [child] FROM edges
    UNION ALL
    SELECT w.start, e.parent, list_append(w.path, e.parent)
    FROM walk w
    JOIN edges e ON e.child = w.node
    WHERE NOT list_contains(w.path, e.parent)
),
ends AS (
    -- The last node each walk reached, and the parent it could not step to (a loop).
    SELECT DISTINCT ON (w.start) w.start, w.node, w.path, e.parent AS blocked
    FROM walk w
    LEFT JOIN edges e ON e.child = w.node
    ORDER BY w.start, len(w.path) DESC
),
roots AS (
    SELECT
        start AS order_id,
        CASE
            WHEN blocked IS NULL THEN node
            ELSE list_min(path[list_position(path, blocked):])
        END AS root_id
    FROM ends
),
subjects AS (
    SELECT
        o.order_id,
        coalesce(r.root_id, o.order_id) AS root_id
    FROM orders o
    LEFT JOIN roots r USING (order_id)
)
SELECT
    o.*,
    s.root_id,
    root.category || '|' || root.address_norm AS subject_key,
    root.category AS subject_category,
    (o.closed_at IS NOT NULL AND o.closed_at < $1)
        OR (o.closed_at IS NULL AND o.status IN (SELECT status FROM rule_closed_status)) AS is_closed,
    CASE
        WHEN EXISTS (SELECT 1 FROM rule_hazard_keyword k WHERE contains(coalesce(o.content, ''), k.keyword))
          OR EXISTS (SELECT 1 FROM rule_category_mode m WHERE m.mode = 'special' AND m.category = o.category)
            THEN 3
        WHEN EXISTS (SELECT 1 FROM rule_category_mode m WHERE m.mode = 'joint' AND m.category = o.category)
            THEN 2
        ELSE 1
    END AS mode_rank
FROM orders o
JOIN subjects s USING (order_id)
JOIN orders root ON root.order_id = s.root_id;
