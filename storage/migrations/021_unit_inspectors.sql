-- Inspectors (巡查) of a unit: read-only people who see what the unit's officers see of its subtree (overview,
-- records, registers, audit, exports) and change nothing. The unit's officers (or officers above it) add them.
CREATE TABLE unit_inspectors (
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    telegram_id INTEGER NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    added_by    INTEGER,                          -- the officer's Telegram id (NULL: the command line)
    added_at    TEXT    NOT NULL,
    PRIMARY KEY (unit_id, telegram_id)
);
CREATE INDEX unit_inspectors_by_person ON unit_inspectors(telegram_id);
