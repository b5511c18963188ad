-- Adds a category alias. Parameters: $1 = alias, $2 = canonical category.
INSERT INTO rule_category_alias VALUES ($1, $2);
