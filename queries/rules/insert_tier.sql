-- Adds a tier: the count it starts at and the count the next one starts at, with who leads
-- it. Parameters: $1 = tier, $2 = lead role, $3 = from count, $4 = below count.
INSERT INTO rule_tier (tier, lead_role, from_count, below_count) VALUES ($1, $2, $3, $4);
