-- 0006: the web console. Both tables are append-only: the program has no UPDATE or DELETE
-- for them; a correction of a handling entry is a new entry.

-- 处置记录: what was done about a warning case, by whom, with what result and return visit.
CREATE TABLE case_handling (
    entry_id      BIGINT PRIMARY KEY,
    case_id       VARCHAR NOT NULL,   -- the case's id (its episode's first order_id)
    measures      VARCHAR NOT NULL,   -- 处置措施
    responsible   VARCHAR NOT NULL,   -- 责任人
    result        VARCHAR NOT NULL,   -- 处置结果
    return_visit  VARCHAR NOT NULL,   -- 回访情况
    author        VARCHAR NOT NULL,   -- the console user who wrote it
    written_at    TIMESTAMP NOT NULL  -- local time
);

-- Every action taken in the console, with who and when.
CREATE TABLE audit_log (
    audit_id   BIGINT PRIMARY KEY,
    done_at    TIMESTAMP NOT NULL,   -- local time
    user_name  VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,     -- login | upload | note | merge | separate | undo | make | preview | send | resend | unmask | ...
    target     VARCHAR NOT NULL,     -- what it was done to (a case id, a file name, a period)
    detail     VARCHAR NOT NULL
);
