-- Inside one file the last row for an id wins: drop the earlier ones from the staging table.
-- Answers nothing; run only when the file holds an id twice.
DELETE FROM stage_orders s
WHERE s.source_row < (SELECT max(t.source_row) FROM stage_orders t WHERE t.order_id = s.order_id);
