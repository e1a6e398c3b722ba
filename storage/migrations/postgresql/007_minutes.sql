-- PostgreSQL twin of ../007_minutes.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- 三会一课: who hosts and records each meeting, one set of minutes per meeting, and the branch's rules
-- for the minutes deadline and the required cadence of meetings.
CREATE TABLE meeting_staff (
    meeting_id   BIGINT PRIMARY KEY REFERENCES meetings(id),
    host_id      BIGINT REFERENCES members(id),   -- 主持人
    recorder_id  BIGINT REFERENCES members(id),   -- 记录人: writes the minutes
    scheduled_by BIGINT REFERENCES members(id),
    created_at   TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX meeting_staff_by_recorder ON meeting_staff(recorder_id);

-- A meeting has one record, whoever (recorder or secretary) writes it.
CREATE UNIQUE INDEX submissions_one_minutes ON submissions(ref) WHERE kind = 'minutes';

-- JSON of MeetingRules (deadline in working days, cadences, holidays); absent keys take the defaults.
CREATE TABLE meeting_settings (
    branch_id  BIGINT PRIMARY KEY REFERENCES branches(id),
    settings   TEXT COLLATE "C"    NOT NULL DEFAULT '{}',
    updated_at TEXT COLLATE "C"    NOT NULL
);
