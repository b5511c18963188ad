-- Holds addresses with their newly normalized form while the rules change.
CREATE OR REPLACE TEMP TABLE renormalized (address VARCHAR NOT NULL, address_norm VARCHAR NOT NULL);
