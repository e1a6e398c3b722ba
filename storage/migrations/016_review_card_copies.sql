-- A review card an approver opened again from /pending is a reply, not an outbox send, so no outbox row knows its
-- message id. Each such copy is kept here, so that a decision or a newer version edits it like the copies the
-- outbox sent (rows keyed review:{submission}:v{version}:to:…). Only copies in the approver's own chat are kept.
CREATE TABLE review_card_copies (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    version       INTEGER NOT NULL,
    branch_id     INTEGER NOT NULL REFERENCES branches(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    chat_id       INTEGER NOT NULL,
    message_id    INTEGER NOT NULL,
    shown_at      TEXT    NOT NULL,
    UNIQUE (chat_id, message_id)
);
CREATE INDEX review_card_copies_by_version ON review_card_copies(submission_id, version);
