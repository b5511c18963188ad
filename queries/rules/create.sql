-- The configured rule lists as temporary tables, filled at connection time with bound
-- values, so the analysis joins against them instead of having values pasted into SQL.
CREATE OR REPLACE TEMP TABLE rule_closed_status (status VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE rule_category_alias (alias VARCHAR NOT NULL, canonical VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE rule_hazard_keyword (keyword VARCHAR NOT NULL);
CREATE OR REPLACE TEMP TABLE rule_category_mode (category VARCHAR NOT NULL, mode VARCHAR NOT NULL);
-- The tiers as the config sets them (a count from from_count up to below_count), with the
-- role that leads each, so the analysis reads both rules from the program's one copy.
CREATE OR REPLACE TEMP TABLE rule_tier (tier VARCHAR NOT NULL, lead_role VARCHAR NOT NULL, from_count BIGINT NOT NULL, below_count BIGINT NOT NULL);
