-- Adds a status that means closed. Parameters: $1 = status.
INSERT INTO rule_closed_status (status) VALUES ($1);
