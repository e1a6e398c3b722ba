-- 亮身份、亮职责、亮承诺 (seed 002): each member's responsibility post and pledge for a year, entered once by the
-- member and confirmed by the secretary (or deputy; never by its author), then reviewed at the yearly evaluation:
-- 践诺 kept / partly / not, with a line.
CREATE TABLE member_pledges (
    id            INTEGER PRIMARY KEY,
    branch_id     INTEGER NOT NULL REFERENCES branches(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    year          INTEGER NOT NULL,
    post          TEXT    NOT NULL,
    pledge        TEXT    NOT NULL,
    entered_at    TEXT    NOT NULL,
    confirmed_by  INTEGER REFERENCES members(id),
    confirmed_at  TEXT,
    kept          TEXT    CHECK (kept IN ('kept', 'partly', 'not')),
    kept_note     TEXT,
    reviewed_by   INTEGER REFERENCES members(id),
    reviewed_at   TEXT,
    UNIQUE (member_id, year)
);
CREATE INDEX member_pledges_by_branch ON member_pledges(branch_id, year);
