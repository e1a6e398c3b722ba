-- Notices from an officer of a unit to its whole subtree: to every branch's secretaries or to every member,
-- with a read receipt per recipient (已读) kept with the recipient's branch, so read rates are counted per branch.
CREATE TABLE officer_notices (
    id                 INTEGER PRIMARY KEY,
    unit_id            INTEGER NOT NULL REFERENCES units(id),  -- the officer's unit: its subtree is the audience
    author_telegram_id INTEGER NOT NULL,
    author_name        TEXT    NOT NULL DEFAULT '',
    body               TEXT    NOT NULL,
    audience           TEXT    NOT NULL DEFAULT 'secretaries' CHECK (audience IN ('secretaries', 'members')),
    status             TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'discarded')),
    created_at         TEXT    NOT NULL,
    sent_at            TEXT
);

CREATE TABLE officer_notice_receipts (
    notice_id INTEGER NOT NULL REFERENCES officer_notices(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    branch_id INTEGER NOT NULL REFERENCES branches(id),
    read_at   TEXT,
    PRIMARY KEY (notice_id, member_id)
) WITHOUT ROWID;
CREATE INDEX officer_notice_receipts_by_branch ON officer_notice_receipts(notice_id, branch_id);
