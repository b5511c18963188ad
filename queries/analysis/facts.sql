-- What the analysis needs of every stored order that does not depend on the instant T,
-- made once per state of the data (the program keeps a fingerprint of what it was made
-- from and makes it again when that changes) and stored, so that the analysis of any T
-- only filters it and sums episodes. This first step gives every order its subject, its
-- closedness by status, its handling mode rank and its caller: the temporary table
-- facts_keyed, which facts_episodes.sql numbers into episodes as order_facts. Needs the
-- caller_key macro (caller_key.sql).
-- Parameters: $1 = fuzzy matching (each order's matter and place come from subject_map,
-- made by src/subjects/; else the canonical category and the normalized address).
--
-- Chains: an order whose related_order_id names a stored order (whenever it was
-- received; a rejected row is never stored) belongs to that order's subject; the chain is
-- followed to its root. A chain that loops takes as root the loop's smallest order_id.
-- References to ids not stored are ignored (listed by unknown_references.sql). Only the
-- few orders in chains are walked; every other order keys its own subject.
CREATE OR REPLACE TEMP TABLE facts_keyed AS
WITH RECURSIVE
edges AS (
    SELECT c.order_id AS child, c.related_order_id AS parent
    FROM work_orders c
    JOIN work_orders p ON p.order_id = c.related_order_id
    WHERE c.related_order_id IS NOT NULL
      AND c.related_order_id <> c.order_id
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
root_keys AS (
    SELECT
        r.order_id,
        coalesce(m.subject_category, a.canonical, p.category) AS subject_category,
        coalesce(m.subject_category, a.canonical, p.category) || '|'
            || coalesce(m.subject_address, p.address_norm) AS subject_key
    FROM (
        SELECT
            start AS order_id,
            CASE
                WHEN blocked IS NULL THEN node
                ELSE list_min(path[list_position(path, blocked):])
            END AS root_id
        FROM ends
    ) r
    JOIN work_orders p ON p.order_id = r.root_id
    LEFT JOIN rule_category_alias a ON a.alias = p.category
    LEFT JOIN subject_hints ph ON $1 AND ph.order_id = p.order_id
    LEFT JOIN subject_map m
        ON $1 AND m.raw_category = p.category
       AND m.own_address = coalesce(ph.address_norm, p.address_norm)
       AND m.street = coalesce(p.street, '')
),
orders AS (
    SELECT
        w.order_id,
        w.rowid AS order_row,
        w.received_at,
        coalesce(m.subject_category, a.canonical, w.category) AS category,
        w.category AS raw_category,
        w.address,
        -- The order's own key in subject_map: its normalized address, or the place its
        -- content names (subject_hints, fuzzy matching only).
        coalesce(h.address_norm, w.address_norm) AS own_address_norm,
        coalesce(w.street, '') AS street,
        coalesce(m.subject_address, w.address_norm) AS address_norm,
        w.content,
        w.status,
        w.closed_at,
        w.related_order_id,
        w.caller_phone
    FROM work_orders w
    LEFT JOIN rule_category_alias a ON a.alias = w.category
    LEFT JOIN subject_hints h ON $1 AND h.order_id = w.order_id
    LEFT JOIN subject_map m
        ON $1 AND m.raw_category = w.category
       AND m.own_address = coalesce(h.address_norm, w.address_norm)
       AND m.street = coalesce(w.street, '')
),
keyed AS (
    SELECT
        o.order_id,
        -- Where the order is stored in work_orders (its rowid: rows are never deleted, and
        -- the facts are made again after every load), to read a few orders' other fields
        -- without a scan; a reader checks the id it finds there.
        o.order_row,
        o.received_at,
        o.category,
        o.address,
        -- The order's own category and normalized address (its key in subject_map).
        o.raw_category,
        o.own_address_norm AS address_norm,
        -- Its street ('' for none): with the two above, its key in subject_map.
        o.street,
        o.closed_at,
        o.related_order_id,
        coalesce(k.subject_key, o.category || '|' || o.address_norm) AS subject_key,
        coalesce(k.subject_category, o.category) AS subject_category,
        -- Closed by its status alone (it counts as closed when it has no closing time);
        -- never NULL, so that no order slips through bool_and as closed.
        coalesce(o.status IN (SELECT status FROM rule_closed_status), false) AS closed_by_status,
        CASE
            WHEN o.category IN (SELECT category FROM rule_category_mode WHERE mode = 'special')
              OR EXISTS (SELECT 1 FROM rule_hazard_keyword h WHERE contains(o.content, h.keyword))
                THEN 3
            WHEN o.category IN (SELECT category FROM rule_category_mode WHERE mode = 'joint')
                THEN 2
            ELSE 1
        END AS mode_rank,
        -- Who called: the stored 联系电话 as one key however it was written (NULL: 未留电话).
        caller_key(o.caller_phone) AS caller
    FROM orders o
    LEFT JOIN root_keys k USING (order_id)
)
SELECT * FROM keyed;
