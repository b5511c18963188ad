-- Adds a hazard keyword (content holding it makes an order `special`). Parameters: $1.
INSERT INTO rule_hazard_keyword (keyword) VALUES ($1);
