-- 党费 (dues) paid on the theme day, standing leave (请销假) for members away, and when a theme day's theme was fixed.

-- The member's monthly dues, in fen (分); NULL: not set yet. Set from /members (importable later).
ALTER TABLE members ADD COLUMN dues_fen INTEGER;

-- One row per member and month once someone said it was paid: the member ('reported'), then the 组织委员 or the
-- secretary ('confirmed'); `paid_by` names who paid for an absent member (代缴). No money moves through the bot.
CREATE TABLE dues_payments (
    member_id    INTEGER NOT NULL REFERENCES members(id),
    period       TEXT    NOT NULL,               -- '2026-12'
    branch_id    INTEGER NOT NULL REFERENCES branches(id),
    status       TEXT    NOT NULL CHECK (status IN ('reported', 'confirmed')),
    amount_fen   INTEGER,                        -- the member's dues when it was recorded
    paid_by      TEXT,                           -- 代缴: the name of who paid for them
    reported_at  TEXT,
    confirmed_by INTEGER REFERENCES members(id),
    confirmed_at TEXT,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (member_id, period)
) WITHOUT ROWID;
CREATE INDEX dues_by_branch ON dues_payments(branch_id, period);

-- Approved standing leave: from the approval of an 'away' submission until `ends_on`, or `ended_on` (销假).
CREATE TABLE standing_leave (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL UNIQUE REFERENCES submissions(id),
    branch_id     INTEGER NOT NULL REFERENCES branches(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    reason        TEXT    NOT NULL,
    starts_on     TEXT    NOT NULL,              -- local dates, 'YYYY-MM-DD', both included
    ends_on       TEXT    NOT NULL,
    ended_on      TEXT,                          -- 销假: the last day away when it ended early
    created_at    TEXT    NOT NULL
);
CREATE INDEX standing_leave_by_branch ON standing_leave(branch_id, ends_on);

-- When a meeting's theme was first fixed (the 'theme by the 5th' rule of seed 002 is judged on it).
ALTER TABLE meetings ADD COLUMN theme_set_at TEXT;
