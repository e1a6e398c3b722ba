-- PostgreSQL twin of ../023_unit_themes.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- The month's unified theme is set by any unit for its subtree (the root's was the county's, county_themes):
-- the nearest unit's theme for the month is a branch's, unless the branch set its own.
CREATE TABLE unit_themes (
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    period     TEXT COLLATE "C"    NOT NULL,                  -- '2026-12'
    title      TEXT COLLATE "C"    NOT NULL,
    set_by     BIGINT,                           -- the officer's Telegram id (NULL: the command line)
    fixed_at   TEXT COLLATE "C"    NOT NULL,                  -- first set: the theme-by-the-5th rule is judged on it
    updated_at TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (unit_id, period)
);
INSERT INTO unit_themes (unit_id, period, title, set_by, fixed_at, updated_at)
    SELECT 1, period, title, set_by, updated_at, updated_at FROM county_themes;
DROP TABLE county_themes;
