-- A stored setting's value. Parameters: $1 = key.
SELECT value FROM store_settings WHERE key = $1;
