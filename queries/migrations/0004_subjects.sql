-- 0004: subjects as call-takers write them. The grouping of addresses into places is
-- worked out in Rust (src/subjects/) and stored here; the analysis joins it in fuzzy mode.

-- Each exported (category, normalized address) and the subject it belongs to: the
-- matter's canonical category and the group's representative address, with why.
CREATE TABLE subject_map (
    raw_category     VARCHAR NOT NULL,   -- the category as exported (trimmed)
    address_norm     VARCHAR NOT NULL,
    subject_category VARCHAR NOT NULL,   -- the matter, canonical
    subject_address  VARCHAR NOT NULL,   -- the group's most used normalized address
    reason           VARCHAR NOT NULL,   -- itself | matched | decision
    matched_with     VARCHAR,            -- the address it matched (or was joined to)
    match_on         VARCHAR,            -- road+number | junction | place
    score            DOUBLE
);

-- Pairs of groups that scored between subjects.suggest_at and subjects.merge_at: an
-- admin decides whether they are one place.
CREATE TABLE subject_suggestions (
    subject_category VARCHAR NOT NULL,
    address_a        VARCHAR NOT NULL,   -- a representative address
    address_b        VARCHAR NOT NULL,
    score            DOUBLE NOT NULL,
    match_on         VARCHAR NOT NULL
);

-- An admin's decisions, applied on every grouping: join two places, or keep them apart.
CREATE TABLE subject_decisions (
    decision_id      BIGINT PRIMARY KEY,
    action           VARCHAR NOT NULL,   -- merge | separate
    subject_category VARCHAR NOT NULL,
    address_a        VARCHAR NOT NULL,
    address_b        VARCHAR NOT NULL,
    made_at          TIMESTAMP NOT NULL,
    undone_at        TIMESTAMP
);
