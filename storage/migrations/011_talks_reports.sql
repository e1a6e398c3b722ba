-- 谈心谈话: one row per talk the secretary or a committee member recorded (the talk register, 谈心谈话记录).
-- Thought reports (思想汇报) are submissions (kind 'report') in the review tables and need no table of their own.
CREATE TABLE talks (
    id          INTEGER PRIMARY KEY,
    branch_id   INTEGER NOT NULL REFERENCES branches(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),  -- the member talked with
    talker_id   INTEGER NOT NULL REFERENCES members(id),  -- who held and recorded the talk
    day         TEXT    NOT NULL,                         -- the talk's local date, YYYY-MM-DD
    topic       TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX talks_by_branch_day ON talks(branch_id, day);

-- 党性分析: the date of each approved self-evaluation that carried a party-spirit analysis section.
CREATE TABLE party_spirit_analyses (
    member_id     INTEGER NOT NULL REFERENCES members(id),
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    analysed_on   TEXT    NOT NULL,                       -- local date of the approval, YYYY-MM-DD
    PRIMARY KEY (member_id, submission_id)
) WITHOUT ROWID;
