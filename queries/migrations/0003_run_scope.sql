-- 0003: what a run was for. Only a run of the whole job ('whole': for a report, sent to
-- its configured recipients) counts as the period's scheduled job being done; a report
-- made as a file only ('file'), a preview to the admin ('preview') or a send to other
-- addresses ('others') is recorded but does not stand in for it. Earlier rows were whole.
ALTER TABLE job_runs ADD COLUMN scope VARCHAR NOT NULL DEFAULT 'whole';
