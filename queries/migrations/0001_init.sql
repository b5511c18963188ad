-- 0001: work orders, the files they came from, and the rows that could not be used.
-- Times are naive local times in the configured zone (rules.timezone), kept to the second.

-- One row per export file loaded (a file whose content was already loaded is not recorded
-- twice; a file that could not be used is not recorded at all).
CREATE TABLE ingested_files (
    file_id        BIGINT PRIMARY KEY,
    path           VARCHAR NOT NULL,
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    size_bytes     BIGINT NOT NULL,
    format         VARCHAR NOT NULL,      -- xlsx | csv
    encoding       VARCHAR,               -- UTF-8 | UTF-8 (BOM) | GBK; NULL for xlsx
    sheet          VARCHAR,               -- the worksheet read; NULL for csv
    header_row     BIGINT NOT NULL,
    columns        VARCHAR NOT NULL,      -- canonical columns the file has, comma-separated
    rows_read      BIGINT NOT NULL,       -- data rows below the header, blanks included
    rows_blank     BIGINT NOT NULL,
    rows_loaded    BIGINT NOT NULL,       -- rows accepted (an id twice in the file counts twice)
    orders_new     BIGINT NOT NULL,
    orders_updated BIGINT NOT NULL,       -- known orders whose stored values changed
    orders_same    BIGINT NOT NULL,       -- known orders restated without a change
    orders_reopened BIGINT NOT NULL,      -- known orders moved from closed back to open
    rows_rejected  BIGINT NOT NULL,
    data_from      TIMESTAMP,             -- earliest received_at among the loaded rows
    data_to        TIMESTAMP,             -- latest received_at among the loaded rows
    ingested_at    TIMESTAMP NOT NULL,    -- local time of the load
    duration_ms    BIGINT NOT NULL
);

-- The current state of every work order (工单): the latest ingested row for its id.
-- No key constraint: ingest merges by order_id, and the analysis reads it whole.
CREATE TABLE work_orders (
    order_id         VARCHAR NOT NULL,
    received_at      TIMESTAMP NOT NULL,
    category         VARCHAR NOT NULL,    -- as exported (trimmed); canonical at analysis
    address          VARCHAR NOT NULL,    -- as exported (trimmed)
    address_norm     VARCHAR NOT NULL,    -- normalized at ingest (see normalize.rs)
    channel          VARCHAR,
    street           VARCHAR,
    community        VARCHAR,
    content          VARCHAR,
    caller_name      VARCHAR,
    caller_phone     VARCHAR,
    handler_unit     VARCHAR,
    status           VARCHAR,
    closed_at        TIMESTAMP,
    related_order_id VARCHAR,
    file_id          BIGINT NOT NULL,     -- the file this state last came from
    source_row       BIGINT NOT NULL,     -- its row in that file
    first_file_id    BIGINT NOT NULL      -- the file the order first came from
);

-- Rows that could not be used, kept with the reason; never silently dropped.
CREATE TABLE rejected_rows (
    file_id     BIGINT NOT NULL,
    sheet       VARCHAR,
    row_number  BIGINT NOT NULL,
    reason_code VARCHAR NOT NULL,         -- missing_required | bad_date | bad_encoding | ...
    reason      VARCHAR NOT NULL,         -- for people, in Chinese
    raw_values  VARCHAR NOT NULL          -- JSON object: heading -> cell text, in file order
);

-- Settings the stored data depends on (e.g. the address rules normalized with).
CREATE TABLE store_settings (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
