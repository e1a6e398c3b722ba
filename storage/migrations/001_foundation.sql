-- Branches, their members and roles, invitations, the audit log and saved conversation state.
-- Times are ISO-8601 UTC strings ('2026-11-22T08:30:00+00:00'), so they sort as text.

CREATE TABLE branches (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    tz            TEXT,                          -- NULL: the deployment's ZHIBU_TZ
    settings      TEXT    NOT NULL DEFAULT '{}', -- JSON of BranchSettings; absent keys take defaults
    group_chat_id INTEGER UNIQUE,                -- the branch's linked Telegram group, if any
    created_at    TEXT    NOT NULL
);

CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    branch_id    INTEGER NOT NULL REFERENCES branches(id),
    telegram_id  INTEGER,                        -- NULL: a member without Telegram (checked in by proxy)
    name         TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'active', 'left', 'rejected')),
    reachable    INTEGER NOT NULL DEFAULT 1,     -- 0 once Telegram answered 403 (blocked the bot)
    party_group  TEXT,                           -- 党小组 name, if the branch has groups
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
-- A person belongs to one branch at a time; left/rejected rows stay as history.
CREATE UNIQUE INDEX members_one_live_row ON members(telegram_id)
    WHERE telegram_id IS NOT NULL AND status IN ('pending', 'active');
CREATE INDEX members_by_branch ON members(branch_id, status);

CREATE TABLE member_roles (
    member_id INTEGER NOT NULL REFERENCES members(id),
    role      TEXT    NOT NULL,
    PRIMARY KEY (member_id, role)
) WITHOUT ROWID;

CREATE TABLE invitations (
    id         INTEGER PRIMARY KEY,
    branch_id  INTEGER NOT NULL REFERENCES branches(id),
    code       TEXT    NOT NULL UNIQUE,
    created_by INTEGER REFERENCES members(id),
    created_at TEXT    NOT NULL,
    revoked_at TEXT
);
CREATE INDEX invitations_live ON invitations(branch_id) WHERE revoked_at IS NULL;

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    branch_id   INTEGER REFERENCES branches(id),
    actor_id    INTEGER REFERENCES members(id),  -- NULL: the system or the command line
    action      TEXT    NOT NULL,                -- e.g. 'member.approve'
    subject     TEXT,                            -- e.g. 'member:42'
    detail      TEXT    NOT NULL DEFAULT '{}'    -- JSON
);
CREATE INDEX audit_by_branch ON audit_log(branch_id, at);

-- A multi-step form in progress, one per Telegram user: saved before each next prompt,
-- so a restart or a day's pause resumes where the person left off.
CREATE TABLE conversations (
    telegram_id INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    step        TEXT    NOT NULL,
    data        TEXT    NOT NULL DEFAULT '{}',
    updated_at  TEXT    NOT NULL
);
