-- Stores a setting. Parameters: $1 = key, $2 = value.
INSERT OR REPLACE INTO store_settings VALUES ($1, $2);
