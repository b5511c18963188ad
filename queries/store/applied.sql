-- The schema versions already applied (empty before the first migration).
SELECT version FROM schema_migrations ORDER BY version;
