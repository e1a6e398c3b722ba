-- PostgreSQL twin of ../017_unit_calendars.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- The public holiday arrangement a unit of the organisation tree entered for its subtree (the root's is the
-- county's): from the State Council's notice, a year at a time. The nearest unit's entry wins for its subtree; the
-- `chinese_calendar` package is the fallback for years nobody entered.
CREATE TABLE unit_calendar_years (
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    year        BIGINT NOT NULL,
    title       TEXT COLLATE "C"    NOT NULL,              -- the notice's title, or what the table was
    entered_by  BIGINT,                       -- the officer's Telegram id (NULL: the command line)
    entered_at  TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (unit_id, year)
);

-- The days a year's entry states: off (with the festival) or worked. A New Year's holiday may begin in the
-- December before, so a day belongs to the entry's `year`, not always to its own.
CREATE TABLE unit_calendar_days (
    unit_id   BIGINT NOT NULL,
    year      BIGINT NOT NULL,
    day       TEXT COLLATE "C"    NOT NULL,                -- YYYY-MM-DD
    kind      TEXT COLLATE "C"    NOT NULL CHECK (kind IN ('off', 'on')),
    festival  TEXT COLLATE "C"    NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, year, day),
    FOREIGN KEY (unit_id, year) REFERENCES unit_calendar_years(unit_id, year) ON DELETE CASCADE
);
CREATE INDEX unit_calendar_days_by_day ON unit_calendar_days(unit_id, day);
