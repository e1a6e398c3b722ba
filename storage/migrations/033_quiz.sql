-- 学习测试: the quarterly theory test as Telegram quiz polls. A branch's secretary or a unit's officer uploads a
-- question bank (an Excel file, previewed before it is stored); a test for a quarter draws N questions per member
-- from the newest bank in reach (the branch's own, else its nearest unit's), sends them one by one as quiz polls
-- and records each answer. Scores are a member's own; the branch sees completion and its average only.
CREATE TABLE quiz_banks (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER REFERENCES units(id),        -- a unit's bank (for its subtree), or
    branch_id   INTEGER REFERENCES branches(id),     -- a branch's own
    name        TEXT    NOT NULL DEFAULT '',         -- the file's name
    created_by  INTEGER NOT NULL,                    -- the uploader's Telegram id
    created_at  TEXT    NOT NULL
);
CREATE INDEX quiz_banks_by_unit ON quiz_banks(unit_id);
CREATE INDEX quiz_banks_by_branch ON quiz_banks(branch_id);

CREATE TABLE quiz_questions (
    id          INTEGER PRIMARY KEY,
    bank_id     INTEGER NOT NULL REFERENCES quiz_banks(id),
    number      INTEGER NOT NULL,                    -- its row in the file
    question    TEXT    NOT NULL,
    options     TEXT    NOT NULL,                    -- JSON list of 2-10 texts
    correct     INTEGER NOT NULL,                    -- the right option, from 0
    explanation TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX quiz_questions_by_bank ON quiz_questions(bank_id);

-- One test a branch a quarter (a unit's officer starting one for the subtree makes one per branch).
CREATE TABLE quizzes (
    id          INTEGER PRIMARY KEY,
    branch_id   INTEGER NOT NULL REFERENCES branches(id),
    bank_id     INTEGER NOT NULL REFERENCES quiz_banks(id),
    quarter     TEXT    NOT NULL,                    -- 2026Q4
    per_member  INTEGER NOT NULL,
    deadline    TEXT    NOT NULL,                    -- answers after it are ignored
    started_by  INTEGER NOT NULL,                    -- the starter's Telegram id
    created_at  TEXT    NOT NULL,
    UNIQUE (branch_id, quarter)
);

-- A member's drawn questions in order; the poll that asked one (Telegram's poll id) and the option chosen.
CREATE TABLE quiz_items (
    id          INTEGER PRIMARY KEY,
    quiz_id     INTEGER NOT NULL REFERENCES quizzes(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    seq         INTEGER NOT NULL,
    question_id INTEGER NOT NULL REFERENCES quiz_questions(id),
    poll_id     TEXT,
    chosen      INTEGER,
    answered_at TEXT,
    UNIQUE (quiz_id, member_id, seq)
);
CREATE UNIQUE INDEX quiz_items_by_poll ON quiz_items(poll_id);
