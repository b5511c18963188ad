-- Every stored order id: rows of a file whose id is not among them (nor earlier in the file)
-- are new orders and are appended directly, without staging and comparing.
SELECT order_id FROM work_orders;
