-- 0002: the outbox (every message recorded before it is sent) and the history of job runs.

-- One row per message: one report (or alert), one period, one recipient. The unique key
-- is what keeps a report from reaching anyone twice: a forced resend takes the next
-- `forced` number, a preview its own key.
CREATE TABLE outbox (
    message_id      BIGINT PRIMARY KEY,
    kind            VARCHAR NOT NULL,     -- weekly | monthly | ledger | alert
    period          VARCHAR NOT NULL,     -- 2025-W05, 2025-01, 2025-02-28, or an alert's key
    recipient       VARCHAR NOT NULL,
    preview         BOOLEAN NOT NULL,
    forced          INTEGER NOT NULL,     -- 0, or n for the nth forced resend
    subject         VARCHAR NOT NULL,
    message         BLOB NOT NULL,        -- the whole message (RFC 5322) as it is sent
    size_bytes      BIGINT NOT NULL,
    status          VARCHAR NOT NULL,     -- queued | sent
    attempts        INTEGER NOT NULL,
    last_error      VARCHAR,
    queued_at       TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    alerted_at      TIMESTAMP,            -- when the admin was told it is stuck
    run_id          BIGINT
);
CREATE UNIQUE INDEX outbox_key ON outbox (kind, period, recipient, preview, forced);

-- Every run of a job, scheduled, caught up or by hand.
CREATE TABLE job_runs (
    run_id          BIGINT PRIMARY KEY,
    job             VARCHAR NOT NULL,     -- inbox | weekly | monthly | ledger | outbox
    period          VARCHAR,
    trigger         VARCHAR NOT NULL,     -- schedule | catch-up | manual
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    outcome         VARCHAR NOT NULL,     -- running | ok | failed
    files_written   VARCHAR NOT NULL,     -- paths, one per line
    messages_queued INTEGER NOT NULL,
    messages_sent   INTEGER NOT NULL,
    error           VARCHAR,
    alerted_at      TIMESTAMP             -- when the admin was told it failed
);
