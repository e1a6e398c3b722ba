-- 三会一课: who hosts and records each meeting, one set of minutes per meeting, and the branch's rules
-- for the minutes deadline and the required cadence of meetings.
CREATE TABLE meeting_staff (
    meeting_id   INTEGER PRIMARY KEY REFERENCES meetings(id),
    host_id      INTEGER REFERENCES members(id),   -- 主持人
    recorder_id  INTEGER REFERENCES members(id),   -- 记录人: writes the minutes
    scheduled_by INTEGER REFERENCES members(id),
    created_at   TEXT    NOT NULL
);
CREATE INDEX meeting_staff_by_recorder ON meeting_staff(recorder_id);

-- A meeting has one record, whoever (recorder or secretary) writes it.
CREATE UNIQUE INDEX submissions_one_minutes ON submissions(ref) WHERE kind = 'minutes';

-- JSON of MeetingRules (deadline in working days, cadences, holidays); absent keys take the defaults.
CREATE TABLE meeting_settings (
    branch_id  INTEGER PRIMARY KEY REFERENCES branches(id),
    settings   TEXT    NOT NULL DEFAULT '{}',
    updated_at TEXT    NOT NULL
);
