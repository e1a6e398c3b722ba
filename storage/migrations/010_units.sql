-- The county's organisation tree: 县委组织部 (the root) → 党委 / 党工委 / 党总支 → … → branches, any depth.
-- Officers of a unit see and act on its subtree; ZHIBU_ADMINS are the root's officers (not stored).
CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,           -- names are unique county-wide: a roster refers to units by name
    kind       TEXT    NOT NULL DEFAULT '',       -- 党委, 党工委, 党总支 … as the office writes it
    parent_id  INTEGER REFERENCES units(id),      -- NULL only for the root
    created_at TEXT    NOT NULL
);
CREATE INDEX units_by_parent ON units(parent_id);
INSERT INTO units (id, name, kind, parent_id, created_at) VALUES (1, '县委组织部', '组织部', NULL, '1970-01-01T00:00:00+00:00');

CREATE TABLE unit_officers (
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    telegram_id INTEGER NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    added_at    TEXT    NOT NULL,
    PRIMARY KEY (unit_id, telegram_id)
) WITHOUT ROWID;
CREATE INDEX unit_officers_by_person ON unit_officers(telegram_id);

-- A branch belongs to a unit; NULL (branches made before the tree) counts as the root's.
ALTER TABLE branches ADD COLUMN unit_id INTEGER REFERENCES units(id);
CREATE INDEX branches_by_unit ON branches(unit_id);

-- A one-use link for an officer to be added by opening it (the unit above hands it over).
CREATE TABLE officer_invites (
    code       TEXT    PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    created_by INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    used_by    INTEGER
);

-- What the office's roster says about a member beyond the name, and their personal link until they link Telegram.
CREATE TABLE member_profiles (
    member_id    INTEGER PRIMARY KEY REFERENCES members(id),
    gender       TEXT, birth_date TEXT, ethnicity TEXT, education TEXT,
    category     TEXT, joined_on TEXT, confirmed_on TEXT, post TEXT, phone TEXT,
    link_code    TEXT UNIQUE                        -- NULL once linked
);
