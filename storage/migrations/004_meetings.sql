-- Meetings of every kind (the monthly theme day now; 三会一课 later) and who attended them.
-- The theme day's rule per branch and the upper committee's county-wide themes sit beside them.
CREATE TABLE meetings (
    id               INTEGER PRIMARY KEY,
    branch_id        INTEGER NOT NULL REFERENCES branches(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('theme_day', 'assembly', 'committee', 'group', 'lecture', 'life')),
    period           TEXT,                       -- '2026-12' for a theme day: one per branch and month
    title            TEXT,                       -- the theme (主题); NULL: not set yet (a county theme may apply)
    details          TEXT,                       -- agenda / what to bring, free text
    starts_at        TEXT    NOT NULL,
    ends_at          TEXT    NOT NULL,
    checkin_opens_at TEXT    NOT NULL,           -- the check-in window runs from here to ends_at
    place            TEXT,
    venue_lat        REAL,                       -- optional location check: members share their location
    venue_lon        REAL,
    venue_radius_m   INTEGER,
    audience         TEXT    NOT NULL DEFAULT 'all', -- who must attend: 'all', 'committee', 'group:<name>'
    status           TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'closed', 'cancelled')),
    makeup_days      INTEGER NOT NULL DEFAULT 7, -- absentees and those on leave make up within this many days
    closed_at        TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE UNIQUE INDEX meetings_one_per_period ON meetings(branch_id, kind, period) WHERE period IS NOT NULL;
CREATE INDEX meetings_by_branch ON meetings(branch_id, starts_at);
CREATE INDEX meetings_open ON meetings(ends_at) WHERE status = 'scheduled';

CREATE TABLE attendance (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    status      TEXT    NOT NULL CHECK (status IN ('checked_in', 'late', 'on_leave', 'absent')),
    by_member   INTEGER REFERENCES members(id), -- who checked them in by proxy (NULL: themselves / the tally)
    at          TEXT    NOT NULL,
    made_up_at  TEXT,                           -- when their make-up (补课) was approved
    PRIMARY KEY (meeting_id, member_id)
) WITHOUT ROWID;
CREATE INDEX attendance_by_member ON attendance(member_id);

-- The theme day's rule and options per branch (JSON of ThemeDaySettings; absent keys take defaults).
CREATE TABLE themeday_settings (
    branch_id  INTEGER PRIMARY KEY REFERENCES branches(id),
    settings   TEXT    NOT NULL DEFAULT '{}',
    updated_at TEXT    NOT NULL
);

-- One theme for every branch in a month, set by an upper-committee admin; a branch's own theme overrides it.
CREATE TABLE county_themes (
    period     TEXT    PRIMARY KEY,            -- '2026-12'
    title      TEXT    NOT NULL,
    set_by     INTEGER NOT NULL,               -- the admin's Telegram id
    updated_at TEXT    NOT NULL
);
