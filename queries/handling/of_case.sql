-- A case's handling entries, oldest first: each entry written for any order now in the
-- episode of $1 (the case's id, its first order), and whether the entry's orders are now in
-- more than one episode (the case was separated after it was written). $1 case_id.
WITH episode AS (
    SELECT sid, episode_no FROM order_facts WHERE order_id = $1
),
entries AS (
    SELECT DISTINCT ho.entry_id
    FROM case_handling_orders ho
    JOIN order_facts f USING (order_id)
    JOIN episode e ON e.sid = f.sid AND e.episode_no = f.episode_no
    UNION
    SELECT entry_id FROM case_handling WHERE case_id = $1
),
spread AS (
    SELECT ho.entry_id, count(DISTINCT (f.sid, f.episode_no)) AS episodes
    FROM case_handling_orders ho
    JOIN order_facts f USING (order_id)
    WHERE ho.entry_id IN (SELECT entry_id FROM entries)
    GROUP BY ho.entry_id
)
SELECT h.entry_id, h.case_id, h.measures, h.responsible, h.result, h.return_visit, h.author,
       h.written_at, coalesce(s.episodes, 1) > 1 AS shared
FROM case_handling h
JOIN entries USING (entry_id)
LEFT JOIN spread s USING (entry_id)
ORDER BY h.written_at, h.entry_id;
