-- Every subject of order_facts (facts.sql) with its integer id and when its first order
-- was received: the table fact_subjects, made with order_facts.
CREATE OR REPLACE TABLE fact_subjects AS
SELECT
    sid,
    any_value(subject_key) AS subject_key,
    any_value(subject_category) AS subject_category,
    min(received_at) AS first_received_at
FROM order_facts
GROUP BY sid;
