-- The stored spellings that share a key with a new spelling (key_matches), by key: the
-- evidence keys among them (callers, links) are evidence both spellings share.
SELECT subject_category, key_hash, address_norm FROM key_matches;
