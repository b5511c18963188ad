-- 0009: a handling entry belongs to the case, whatever its id becomes. A case's id is its
-- episode's first order, which moves when an earlier complaint about the place arrives
-- late; so an entry keeps the orders its case had when it was written, and belongs to every
-- case that now holds one of them (both halves, if an admin separates the case).
CREATE TABLE case_handling_orders (
    entry_id  BIGINT NOT NULL,    -- case_handling.entry_id
    order_id  VARCHAR NOT NULL    -- an order of the case when the entry was written
);
-- Entries written before: the order that was the case's id.
INSERT INTO case_handling_orders SELECT entry_id, case_id FROM case_handling;
