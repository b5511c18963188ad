-- Every subject of facts_keyed (facts.sql) with its integer id and when its first order
-- was received: the table fact_subjects, made before order_facts (facts_episodes.sql),
-- which keeps only the id. An order's subject key and category are read here, by its
-- subject's id: written once a subject, not once an order, which made storing the facts
-- twice as slow.
CREATE OR REPLACE TABLE fact_subjects AS
SELECT
    row_number() OVER (ORDER BY subject_key) AS sid,
    subject_key,
    subject_category,
    first_received_at
FROM (
    SELECT
        subject_key,
        any_value(subject_category) AS subject_category,
        min(received_at) AS first_received_at
    FROM facts_keyed
    GROUP BY subject_key
);
