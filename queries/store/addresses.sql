-- Every distinct stored address, for normalizing again under changed rules.
SELECT DISTINCT address FROM work_orders;
