-- 民主生活会 (seed 000): a unit's leadership team (领导班子) and what each of them did about a meeting the unit hosts.
-- The team is its own roster, not rows of `members`: the unit's officers are known by their Telegram id
-- (unit_officers), not as members of a branch, and a non-party leader who 列席 is no party member at all (often with
-- no Telegram account: a name is enough). Rows in `members` for them would put them on a branch's roll, its
-- compliance, dues and reminders; `attendance` (member_id → members) cannot hold them for the same reason.
CREATE TABLE unit_team (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    name        TEXT    NOT NULL,
    telegram_id INTEGER,                                   -- NULL: no Telegram account; such a person gets no notices
    votes       INTEGER NOT NULL CHECK (votes IN (0, 1)),  -- 1: a member of the team; 0: 列席 (attends, no vote)
    added_by    INTEGER NOT NULL,                          -- the officer's Telegram id
    added_at    TEXT    NOT NULL,
    removed_at  TEXT
);
CREATE UNIQUE INDEX unit_team_one_name ON unit_team(unit_id, name) WHERE removed_at IS NULL;
CREATE INDEX unit_team_by_person ON unit_team(telegram_id) WHERE telegram_id IS NOT NULL;

-- Who was asked to a unit's meeting (the team as it stood when it was published) and what came of it: check-in,
-- leave (asked, approved or refused by another officer), the written statement (书面发言) an absentee hands in before
-- the meeting, and the criticism the record addresses to them, conveyed privately after the close.
CREATE TABLE unit_meeting_people (
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
    person_id    INTEGER NOT NULL REFERENCES unit_team(id),
    status       TEXT    NOT NULL DEFAULT 'invited'
                 CHECK (status IN ('invited', 'checked_in', 'leave_asked', 'on_leave', 'leave_refused', 'absent')),
    at           TEXT    NOT NULL,
    reason       TEXT,
    decided_by   INTEGER,                                  -- the officer (Telegram id) who decided the leave
    statement    TEXT,
    statement_at TEXT,
    criticism    TEXT,
    conveyed_at  TEXT,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX unit_meeting_people_by_person ON unit_meeting_people(person_id);

-- The record of a unit's meeting, kept by an officer of the unit after it closed.
CREATE TABLE unit_meeting_minutes (
    meeting_id  INTEGER PRIMARY KEY REFERENCES meetings(id),
    content     TEXT    NOT NULL,
    criticism   TEXT    NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL,
    recorded_at TEXT    NOT NULL
);
