-- rebuilds: meetings
-- Two new kinds of meeting, and meetings a unit hosts:
--   'study'            专题学习, the weekly or fortnightly special study session (seed 002's 六个一);
--   'leadership_life'  民主生活会, held by a unit's leadership team each half-year (seed 000).
-- A meeting belongs to a branch or (民主生活会) to a unit: exactly one of branch_id / unit_id is set.
-- SQLite cannot change a CHECK or a NOT NULL in place: the table is rebuilt the documented way (storage/schema.py
-- turns foreign keys off around a script marked "rebuilds:" and checks them before it commits).
CREATE TABLE meetings_rebuilt (
    id               INTEGER PRIMARY KEY,
    branch_id        INTEGER REFERENCES branches(id),
    kind             TEXT    NOT NULL CHECK (kind IN ('theme_day', 'assembly', 'committee', 'group', 'lecture', 'life',
                                                      'study', 'leadership_life')),
    period           TEXT,
    title            TEXT,
    details          TEXT,
    starts_at        TEXT    NOT NULL,
    ends_at          TEXT    NOT NULL,
    checkin_opens_at TEXT    NOT NULL,
    place            TEXT,
    venue_lat        REAL,
    venue_lon        REAL,
    venue_radius_m   INTEGER,
    audience         TEXT    NOT NULL DEFAULT 'all',
    status           TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'closed', 'cancelled')),
    makeup_days      INTEGER NOT NULL DEFAULT 7,
    closed_at        TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    theme_set_at     TEXT,
    checkin_secret   TEXT,
    holds            TEXT    NOT NULL DEFAULT '',
    unit_id          INTEGER REFERENCES units(id),  -- the hosting unit of a 民主生活会 (branch_id is then NULL)
    CHECK ((branch_id IS NULL) <> (unit_id IS NULL))
);
INSERT INTO meetings_rebuilt (id, branch_id, kind, period, title, details, starts_at, ends_at, checkin_opens_at, place,
                              venue_lat, venue_lon, venue_radius_m, audience, status, makeup_days, closed_at,
                              created_at, updated_at, theme_set_at, checkin_secret, holds)
SELECT id, branch_id, kind, period, title, details, starts_at, ends_at, checkin_opens_at, place,
       venue_lat, venue_lon, venue_radius_m, audience, status, makeup_days, closed_at,
       created_at, updated_at, theme_set_at, checkin_secret, holds
FROM meetings;
DROP TABLE meetings;
ALTER TABLE meetings_rebuilt RENAME TO meetings;
CREATE UNIQUE INDEX meetings_one_per_period ON meetings(branch_id, kind, period) WHERE period IS NOT NULL;
CREATE INDEX meetings_by_branch ON meetings(branch_id, starts_at);
CREATE INDEX meetings_open ON meetings(ends_at) WHERE status = 'scheduled';
CREATE INDEX meetings_by_unit ON meetings(unit_id, starts_at) WHERE unit_id IS NOT NULL;
