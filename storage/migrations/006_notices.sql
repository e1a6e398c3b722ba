-- Notices (通知) with read receipts, and marks for periodic jobs already done (e.g. a day's digest).
CREATE TABLE notices (
    id                INTEGER PRIMARY KEY,
    branch_id         INTEGER NOT NULL REFERENCES branches(id),
    author_id         INTEGER NOT NULL REFERENCES members(id),
    body              TEXT    NOT NULL,
    file_id           TEXT,                      -- an attached photo or file (Telegram file_id)
    file_kind         TEXT CHECK (file_kind IN ('photo', 'document')),
    audience          TEXT    NOT NULL DEFAULT 'all', -- 'all' or a role value
    to_group          INTEGER NOT NULL DEFAULT 0, -- also post to the branch's linked group
    status            TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'discarded')),
    status_chat_id    INTEGER,                   -- the author's live read-count message
    status_message_id INTEGER,
    created_at        TEXT    NOT NULL,
    sent_at           TEXT
);
CREATE INDEX notices_by_branch ON notices(branch_id, status);

CREATE TABLE notice_receipts (
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    read_at   TEXT,
    nudges    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (notice_id, member_id)
) WITHOUT ROWID;

CREATE TABLE schedule_marks (
    key TEXT PRIMARY KEY,  -- e.g. 'digest:12:2026-11-23'
    at  TEXT NOT NULL
) WITHOUT ROWID;
