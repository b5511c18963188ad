-- Staging for one file's accepted rows, in file order. Lives for one ingest transaction.
CREATE OR REPLACE TEMP TABLE stage_orders (
    source_row       BIGINT NOT NULL,
    order_id         VARCHAR NOT NULL,
    received_at      TIMESTAMP NOT NULL,
    category         VARCHAR NOT NULL,
    address          VARCHAR NOT NULL,
    address_norm     VARCHAR NOT NULL,
    channel          VARCHAR,
    street           VARCHAR,
    community        VARCHAR,
    content          VARCHAR,
    caller_name      VARCHAR,
    caller_phone     VARCHAR,
    handler_unit     VARCHAR,
    status           VARCHAR,
    closed_at        TIMESTAMP,
    related_order_id VARCHAR
);
