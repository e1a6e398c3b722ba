-- The reminder engine's outbox: every message zhibu sends on its own initiative is a row here first.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    key         TEXT    NOT NULL UNIQUE,   -- stable: re-planning the same reminder finds this row
    branch_id   INTEGER REFERENCES branches(id),
    member_id   INTEGER REFERENCES members(id),
    chat_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL,          -- what it is for; decides the relevance check at send time
    payload     TEXT    NOT NULL,          -- JSON Outgoing: template, params, buttons
    urgent      INTEGER NOT NULL DEFAULT 0,-- 1: ignores quiet hours (replies to what a person just did)
    due_at      TEXT    NOT NULL,
    expires_at  TEXT,                      -- past this, it is marked expired instead of sent late
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'expired', 'failed', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    message_id  INTEGER,                   -- Telegram's id of the sent message, for later edits
    sent_at     TEXT,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX outbox_due ON outbox(due_at) WHERE status = 'pending';
CREATE INDEX outbox_member_pending ON outbox(member_id) WHERE status = 'pending';
CREATE INDEX outbox_kind ON outbox(kind, status);
