-- Forgets the content hints of the orders the files after $1 state (0: all): they are read
-- again from what those files say.
DELETE FROM subject_hints
WHERE order_id IN (SELECT order_id FROM work_orders WHERE file_id > $1);
