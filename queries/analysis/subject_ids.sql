-- Gives every subject counted as of T (from asof_orders) an integer id, so that the
-- episode windows sort by a number instead of a long text key. Materialized as the temp
-- table asof_subjects.
CREATE OR REPLACE TEMP TABLE asof_subjects AS
SELECT row_number() OVER () AS sid, subject_key, subject_category
FROM (SELECT subject_key, any_value(subject_category) AS subject_category
      FROM asof_orders GROUP BY subject_key);
