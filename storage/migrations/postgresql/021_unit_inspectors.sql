-- PostgreSQL twin of ../021_unit_inspectors.sql (storage/schema.py): BIGINT integers, identity ids, TEXT COLLATE "C" (SQLite's order).
-- Inspectors (巡查) of a unit: read-only people who see what the unit's officers see of its subtree (overview,
-- records, registers, audit, exports) and change nothing. The unit's officers (or officers above it) add them.
CREATE TABLE unit_inspectors (
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    telegram_id BIGINT NOT NULL,
    name        TEXT COLLATE "C"    NOT NULL DEFAULT '',
    added_by    BIGINT,                          -- the officer's Telegram id (NULL: the command line)
    added_at    TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (unit_id, telegram_id)
);
CREATE INDEX unit_inspectors_by_person ON unit_inspectors(telegram_id);
