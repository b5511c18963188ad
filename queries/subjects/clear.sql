-- Empties the stored grouping before it is made again.
DELETE FROM subject_map;
DELETE FROM subject_suggestions;
DELETE FROM subject_blocks;
