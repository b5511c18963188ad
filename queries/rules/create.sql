-- The configured rule lists as temporary tables, filled at connection time with bound
-- values, so the analysis joins against them instead of having values pasted into SQL.
CREATE OR REPLACE TEMP TABLE rule_closed_status (status VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE rule_category_alias (alias VARCHAR NOT NULL, canonical VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE rule_hazard_keyword (keyword VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE rule_category_mode (category VARCHAR NOT NULL, mode VARCHAR NOT NULL);
