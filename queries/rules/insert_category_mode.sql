-- Sets the handling mode of a canonical category. Parameters: $1 = category,
-- $2 = mode (joint | special).
INSERT INTO rule_category_mode (category, mode) VALUES ($1, $2);
