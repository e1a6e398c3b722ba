-- One review mechanism for everything a member hands in (make-up, minutes, self-evaluation, leave …).
CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY,
    branch_id    INTEGER NOT NULL REFERENCES branches(id),
    author_id    INTEGER NOT NULL REFERENCES members(id),
    kind         TEXT    NOT NULL,              -- registered by the feature: 'makeup', 'minutes', …
    ref          TEXT    NOT NULL,              -- what it is about, e.g. 'themeday:12'
    status       TEXT    NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'rejected', 'withdrawn')),
    content      TEXT    NOT NULL DEFAULT '{}', -- JSON, the feature's fields
    version      INTEGER NOT NULL DEFAULT 0,    -- bumped on each submit: a card for an old version is stale
    comment      TEXT,                          -- the reviewer's comment or reason
    decided_by   INTEGER REFERENCES members(id),
    submitted_at TEXT,
    decided_at   TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    UNIQUE (kind, ref, author_id)
);
CREATE INDEX submissions_waiting ON submissions(branch_id, status);

CREATE TABLE submission_files (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    file_id       TEXT    NOT NULL,             -- Telegram's file_id; the bytes are fetched on export
    file_kind     TEXT    NOT NULL CHECK (file_kind IN ('photo', 'document')),
    caption       TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX submission_files_by_submission ON submission_files(submission_id);
