-- 0007: warnings the moment they happen (第一时间预警通知). What was notified about which
-- case, so each (case, event) is told once ever, and outbox messages that wait for the end
-- of the quiet hours.

-- One row per (case, event) notified. `event` is the tier reached (green | yellow | red)
-- or `special` (the case became 专门办). `kind` says how it was told: registered,
-- escalated, recurring (registered again after a cancelled warning) or special. A case
-- first seen at a higher tier has only that tier's row: the lower ones are implied.
CREATE TABLE notified (
    case_id      VARCHAR NOT NULL,   -- the case's id when it was notified
    event        VARCHAR NOT NULL,   -- green | yellow | red | special
    kind         VARCHAR NOT NULL,   -- registered | escalated | recurring | special
    order_count  INTEGER NOT NULL,   -- the case's complaints when it was notified
    batch        VARCHAR NOT NULL,   -- the outbox period of the messages that told it
    noticed_at   TIMESTAMP NOT NULL, -- local time
    held_until   TIMESTAMP,          -- the end of the quiet hours it waited for, if any
    PRIMARY KEY (case_id, event)
);

-- A message not to be sent before this time (a warning held through the quiet hours),
-- whatever the back-off or `outbox retry --all` says. A table of its own: DuckDB cannot add
-- a column to the indexed outbox.
CREATE TABLE outbox_hold (
    message_id  BIGINT PRIMARY KEY,
    not_before  TIMESTAMP NOT NULL   -- local time
);
