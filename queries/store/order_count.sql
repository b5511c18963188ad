-- How many work orders are stored.
SELECT count(*) FROM work_orders;
