-- Records a migration as applied. Parameters: $1 = version, $2 = name.
INSERT INTO schema_migrations (version, name) VALUES ($1, $2);
