-- Filing (备案) goes up: what a branch files (approved minutes, a closed evaluation's register) waits for the
-- officers of the unit above in their daily filing digest, which shows when each arrived.
CREATE TABLE filing_digests (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    day        TEXT    NOT NULL,                  -- the local date of the digest: at most one a day per unit
    created_at TEXT    NOT NULL,
    UNIQUE (unit_id, day)
);

CREATE TABLE filings (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,                  -- minutes | evaluation
    ref        TEXT    NOT NULL,                  -- submission:ID | evaluation:ID
    branch_id  INTEGER NOT NULL REFERENCES branches(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),  -- whose officers receive it
    title      TEXT    NOT NULL,
    filed_at   TEXT    NOT NULL,
    digest_id  INTEGER REFERENCES filing_digests(id),  -- NULL until a digest carried it
    UNIQUE (kind, ref)
);
CREATE INDEX filings_waiting ON filings(unit_id, digest_id);
CREATE INDEX filings_by_branch ON filings(branch_id, filed_at);

-- The files a digest carries, built when the digest is composed and sent from here by the outbox.
CREATE TABLE filing_files (
    id        INTEGER PRIMARY KEY,
    digest_id INTEGER NOT NULL REFERENCES filing_digests(id),
    filename  TEXT    NOT NULL,
    data      BLOB    NOT NULL
);
CREATE INDEX filing_files_by_digest ON filing_files(digest_id);

-- A 不合格 result's follow-up (限期改正 / 劝其退党 / 除名): the branch secretary picks the measure and closes it
-- (销号) with a line saying what was done; an officer of the unit above confirms.
CREATE TABLE followups (
    id           INTEGER PRIMARY KEY,
    branch_id    INTEGER NOT NULL REFERENCES branches(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    campaign_id  INTEGER NOT NULL,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    reason       TEXT,
    measure      TEXT,                            -- rectify | persuade | expel; NULL until chosen
    deadline     TEXT,
    status       TEXT    NOT NULL DEFAULT 'open', -- open | closing (销号 asked) | closed
    closing_note TEXT,
    opened_at    TEXT    NOT NULL,
    requested_at TEXT,
    closed_at    TEXT,
    closed_by    INTEGER,                         -- the confirming officer's Telegram id
    UNIQUE (campaign_id, member_id)
);
CREATE INDEX followups_by_branch ON followups(branch_id, status);
CREATE INDEX followups_by_unit ON followups(unit_id, status);

CREATE INDEX IF NOT EXISTS audit_log_by_branch ON audit_log(branch_id, id);
