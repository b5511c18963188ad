-- Adds a category alias. Parameters: $1 = alias, $2 = canonical category.
INSERT INTO rule_category_alias (alias, canonical) VALUES ($1, $2);
