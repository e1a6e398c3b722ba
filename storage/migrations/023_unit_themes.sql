-- The month's unified theme is set by any unit for its subtree (the root's was the county's, county_themes):
-- the nearest unit's theme for the month is a branch's, unless the branch set its own.
CREATE TABLE unit_themes (
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    period     TEXT    NOT NULL,                  -- '2026-12'
    title      TEXT    NOT NULL,
    set_by     INTEGER,                           -- the officer's Telegram id (NULL: the command line)
    fixed_at   TEXT    NOT NULL,                  -- first set: the theme-by-the-5th rule is judged on it
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (unit_id, period)
);
INSERT INTO unit_themes (unit_id, period, title, set_by, fixed_at, updated_at)
    SELECT 1, period, title, set_by, updated_at, updated_at FROM county_themes;
DROP TABLE county_themes;
