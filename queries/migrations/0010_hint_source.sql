-- 0010: an order's place found elsewhere than its address says where it was found: 'text'
-- (the complaint's 诉求内容 names it) or 'caller' (the caller's other orders of the matter
-- all name one place), so that why the order is in its subject can be told.
ALTER TABLE subject_hints ADD COLUMN source VARCHAR NOT NULL DEFAULT 'text';
