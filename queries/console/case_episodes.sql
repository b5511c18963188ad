-- Where each warning case's orders are in the stored facts at T: the subject (sid) and
-- episode it is, for the case page to read its orders by those numbers. Reads asof_cases.
SELECT case_id, sid, episode_no
FROM asof_cases;
