-- Whether a stored address has the block key $1 (a place's name in its matter).
SELECT EXISTS (SELECT 1 FROM subject_blocks WHERE key_hash = $1);
