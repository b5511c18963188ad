-- What changes when the cases can change: files loaded and subject decisions made or undone.
SELECT (SELECT count(*) FROM ingested_files)
       || '/' || (SELECT coalesce(max(decision_id), 0) FROM subject_decisions)
       || '/' || (SELECT count(undone_at) FROM subject_decisions);
